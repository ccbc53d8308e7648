"""The events resource: routes, and what they call."""
