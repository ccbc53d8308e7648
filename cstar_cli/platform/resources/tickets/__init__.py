"""The tickets resource: routes, and what they call."""
