"""The categories resource: routes, and what they call."""
