"""CSAT (D44): settings, surveys and their stats."""
