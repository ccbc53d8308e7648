"""The whoami resource: routes, and what they call."""
