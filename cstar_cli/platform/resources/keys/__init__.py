"""The keys resource: routes, and what they call."""
