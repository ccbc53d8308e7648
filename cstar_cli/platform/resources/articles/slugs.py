"""Slugs from titles and names: lower-case ASCII words joined by ``-`` (articles, categories)."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, fallback: str = "article") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].strip("-") or fallback
