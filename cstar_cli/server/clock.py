"""Time helpers: every stored time is an ISO-8601 UTC string with milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(ts: float) -> str:
    """Format unix seconds as ``2026-03-06T14:30:00.123Z``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(text: str) -> float:
    """Parse an ISO-8601 time (``Z`` or an offset; naive means UTC) into unix seconds."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()
