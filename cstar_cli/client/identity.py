"""Customer identity verification (D18): the exact compact payload and its HMAC-SHA256.

Example::

    >>> payload, digest = sign_identity("sk_test_…", email="ada@example.com")
    >>> payload
    '{"email":"ada@example.com"}'
"""

from __future__ import annotations

import hashlib
import hmac
import json


def identity_payload(
    *,
    email: str,
    external_id: str | None = None,
    name: str | None = None,
    timestamp: int | None = None,
) -> str:
    """The exact string to sign: ``{"email":…}`` alone, or the sorted ``{email, externalId,
    name?, timestamp}`` form when ``external_id`` is given (compact, no whitespace)."""
    if external_id is None:
        return json.dumps({"email": email}, separators=(",", ":"), ensure_ascii=False)
    if timestamp is None:
        raise ValueError("timestamp is required with external_id")
    fields: dict[str, object] = {"email": email, "externalId": external_id, "timestamp": timestamp}
    if name is not None:
        fields["name"] = name
    return json.dumps(fields, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def identity_hash(secret_key: str, payload: str) -> str:
    """Hex HMAC-SHA256 of ``payload`` keyed with the team's secret key."""
    return hmac.new(secret_key.encode(), payload.encode(), hashlib.sha256).hexdigest()


def sign_identity(
    secret_key: str,
    *,
    email: str,
    external_id: str | None = None,
    name: str | None = None,
    timestamp: int | None = None,
) -> tuple[str, str]:
    """``(payload, hex_hmac)`` for the identity headers of D18."""
    payload = identity_payload(email=email, external_id=external_id, name=name, timestamp=timestamp)
    return payload, identity_hash(secret_key, payload)
