"""The audit log (D42): who wrote what, from where — recorded with every write, read by
``GET /audit-log``."""
