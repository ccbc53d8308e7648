"""The webhooks resource: routes, and what they call."""
