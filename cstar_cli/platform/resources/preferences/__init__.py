"""Team and member preferences (D46)."""
