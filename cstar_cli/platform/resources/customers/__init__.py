"""The customers resource: routes, and what they call."""
