"""API keys (facts §1.2, D9): minting, hashing, parsing the Authorization header.

Only a SHA-256 hash of each key is stored. Key material is ``prefix + 32 base64url characters``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from cstar_cli.platform.http.errors import ApiError

KEY_BODY_LENGTH = 32
KEY_PATTERN = re.compile(r"^(sk|pk)_(live|test)_([A-Za-z0-9_-]+)$")
TYPE_PREFIX = {"secret": "sk", "publishable": "pk"}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key, its team, its type and its environment."""

    key_id: str
    team_id: str
    key_type: str
    livemode: bool
    redacted_key: str
    expires_at: float | None = None
    """Unix time when a rolled key's grace period ends (D28); ``None`` for a key without one."""
    key_name: str = ""
    """The key's name, as the audit log names its actor (D42)."""

    @property
    def environment(self) -> str:
        return "live" if self.livemode else "test"

    @property
    def is_secret(self) -> bool:
        return self.key_type == "secret"


def mint_key(key_type: str, environment: str) -> str:
    """A new key such as ``sk_test_`` followed by 32 base64url characters."""
    body = secrets.token_urlsafe(24)  # 24 bytes -> exactly 32 base64url characters
    return f"{TYPE_PREFIX[key_type]}_{environment}_{body}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def bearer_key(header: str | None) -> str:
    """Extract and format-check the key from an ``Authorization`` header value."""
    if header is None or not header.strip():
        raise ApiError(
            401,
            "authentication_required",
            "No API key provided. Send 'Authorization: Bearer <key>'.",
        )
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key or key != key.strip() or " " in key:
        raise ApiError(
            401,
            "authentication_required",
            "Malformed Authorization header. Expected 'Bearer <key>' with no extra whitespace.",
        )
    match = KEY_PATTERN.match(key)
    if match is None:
        raise ApiError(
            401,
            "invalid_key_format",
            "Invalid API key format. Keys start with sk_live_, sk_test_, pk_live_ or pk_test_.",
        )
    if len(match.group(3)) != KEY_BODY_LENGTH:
        raise ApiError(401, "invalid_api_key", "Invalid API key (is it truncated?).")
    return key
