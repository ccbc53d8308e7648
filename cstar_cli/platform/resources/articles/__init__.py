"""The articles resource: routes, and what they call."""
