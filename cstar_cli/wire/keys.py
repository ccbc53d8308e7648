"""Secrets as people may see them: ``sk_test_…a1b2`` (D9), everywhere a key or secret is shown."""

from __future__ import annotations

import re

SECRET_PATTERN = re.compile(r"\b((?:sk|pk)_(?:test|live)_|whsec_)([A-Za-z0-9_\-]{8,})")
"""An API key or a signing secret: its prefix, then the secret part."""


def redact(secret: str) -> str:
    """``sk_test_…a1b2``: the prefix and the last four characters."""
    match = SECRET_PATTERN.fullmatch(secret.strip())
    if match:
        return f"{match.group(1)}…{match.group(2)[-4:]}"
    if len(secret) <= 8:
        return "…"
    return f"{secret[:3]}…{secret[-4:]}"
