"""SLA metrics (D45)."""
