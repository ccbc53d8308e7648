"""Delivery: the events outbox, the webhook dispatcher, and the listen sessions' store and hub."""
