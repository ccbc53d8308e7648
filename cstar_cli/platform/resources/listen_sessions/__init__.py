"""The listen sessions resource: routes, and what they call."""
