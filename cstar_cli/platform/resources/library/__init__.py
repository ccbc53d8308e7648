"""The library resource: routes, and what they call."""
