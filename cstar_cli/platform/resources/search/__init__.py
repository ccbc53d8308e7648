"""``GET /search`` (D47): tickets, customers and articles at once."""
