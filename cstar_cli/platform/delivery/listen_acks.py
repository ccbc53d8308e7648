"""What a listen acknowledgement records (docs/relay-protocol.md, "Acknowledgements"): one
delivery attempt per answered try the CLI reports. An ack is the client's word, so every field
is checked: a number that is not one (``Infinity``, ``"x"``) falls back to what the platform
knows."""

from __future__ import annotations

import hashlib
import math
from typing import Any

from cstar_cli.platform.store.db import Row
from cstar_cli.wire.protocol import SNIPPET_BYTES

MAX_ATTEMPT = 1_000_000
"""More attempts than any client makes: past it, an ack's number is not believed."""


def attempt_rows(row: Row, ack: dict[str, Any], session: Row, stamp: str) -> list[tuple[Any, ...]]:
    """One deliveries row per answered attempt the CLI reports (the last one keeps the id)."""
    tries_given = ack.get("tries")
    tries = [t for t in tries_given if isinstance(t, dict)] if isinstance(tries_given, list) else []
    tries = tries or [
        {
            "attempt": _count(ack.get("attempts"), 1) + int(row["attempt"]) - 1,
            "status": ack.get("status"),
            "durationMs": ack.get("durationMs"),
            "error": ack.get("error"),
            "body": ack.get("body"),
        }
    ]
    out = []
    for index, attempt in enumerate(tries):
        status = attempt.get("status")
        code = status if isinstance(status, int) else None
        ok = code is not None and 200 <= code < 300
        last = index == len(tries) - 1
        number = _count(attempt.get("attempt"), row["attempt"] + index)
        duration = attempt.get("durationMs")
        error = attempt.get("error")
        delivery = row["delivery_id"] if last else _derived_id(row["delivery_id"], number)
        body = attempt.get("body")
        out.append(
            (
                delivery,
                row["event_id"],
                session["team_id"],
                session["livemode"],
                row["session_id"],
                str(row.get("target") or _text(ack.get("forwardTo")) or "cstar listen"),
                number,
                "succeeded" if ok else "failed",
                row["created_at"],
                code,
                duration if _finite(duration) else None,
                body[:SNIPPET_BYTES] if isinstance(body, str) else None,
                error[:SNIPPET_BYTES] if isinstance(error, str) else None,
                stamp,
                stamp,
                row["route_id"] or None,
            )
        )
    return out


def _count(value: Any, default: int) -> int:
    """An attempt number the CLI reported, if it is one (1 to ``MAX_ATTEMPT``); else
    ``default``. Acks are the client's word: ``Infinity`` or ``"x"`` must not break them."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ATTEMPT:
        return value
    return default


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text(value: Any) -> str | None:
    return value[:2048] if isinstance(value, str) else None


def _derived_id(delivery_id: str, attempt: int) -> str:
    return hashlib.sha256(f"{delivery_id}:{attempt}".encode()).hexdigest()[:32]
