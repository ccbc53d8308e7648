"""The customer groups resource (D41): routes, and what they call."""
