"""Webhook delivery headers (D13), shared by the dispatcher and ``cstar listen``.

Standard library only; the signature covers the exact bytes that are sent.
"""

from __future__ import annotations

from cstar_cli.client.signing import legacy_signature, sign_payload
from cstar_cli.wire.protocol import WEBHOOK_USER_AGENT
from cstar_cli.wire.times import iso


def delivery_headers(
    payload: bytes,
    secret: str,
    *,
    event_type: str,
    event_id: str,
    subscription_id: str,
    attempt: int,
    request_id: str | None,
    legacy: bool,
    now: float,
) -> dict[str, str]:
    """The documented delivery headers, signed with ``secret`` at time ``now``."""
    stamp = iso(now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": WEBHOOK_USER_AGENT,
        "X-Signature": sign_payload(payload, secret, int(now)),
        "X-Event-Type": event_type,
        "X-Event-ID": event_id,
        "X-Webhook-ID": subscription_id,
        "X-Timestamp": stamp,
        "X-Delivery-Attempt": str(attempt),
    }
    if request_id:
        headers["x-cstar-request-id"] = request_id
    if legacy:
        headers["X-Cstar-Signature"] = legacy_signature(payload, secret)
    return headers
