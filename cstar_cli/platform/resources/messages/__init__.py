"""The messages resource: routes, and what they call."""
