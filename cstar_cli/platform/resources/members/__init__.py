"""The members resource: routes, and what they call."""
