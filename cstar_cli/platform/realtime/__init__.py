"""Realtime streams (D26): Server-Sent Events of every event a caller may see."""
