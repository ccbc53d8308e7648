"""Storage: SQLite, migrations, the secret vault, private files, and the one update path."""
