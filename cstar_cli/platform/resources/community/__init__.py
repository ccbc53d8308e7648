"""The community (D43): topics, posts, their comments and votes."""
