"""Times on the wire and the one duration grammar everything accepts.

Every time the API sends or stores is ISO-8601 UTC with milliseconds (``2026-03-06T14:30:00.123Z``).
A duration is a whole number with an optional unit: ``90`` or ``90s``, ``15m`` or ``15min``,
``2h``, ``7d``, ``1w``. ``--since 15m``, ``--expires-in 1h``, ``cstar clock advance 2h`` and the
MCP tools all read durations with :func:`parse_duration`.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

DURATION = re.compile(r"^\s*(\d+)\s*(s|sec|m|min|h|d|w)?\s*$", re.IGNORECASE)
UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
DURATION_FORMS = "90s, 15m, 2h, 7d or 1w"


def iso(ts: float) -> str:
    """Unix seconds as ``2026-03-06T14:30:00.123Z``."""
    return iso_datetime(datetime.fromtimestamp(ts, UTC))


def iso_datetime(moment: datetime) -> str:
    """A datetime as ``2026-03-06T14:30:00.123Z`` (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def parse_iso(text: str) -> float:
    """An ISO-8601 time (``Z`` or an offset; naive means UTC) as unix seconds."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def is_duration(text: str) -> bool:
    return DURATION.match(text) is not None


def parse_duration(text: str) -> int:
    """A duration in seconds; ``ValueError`` naming the accepted forms otherwise."""
    match = DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration; use a number with a unit: {DURATION_FORMS}.")
    return int(match.group(1)) * UNITS[(match.group(2) or "s").lower()]


def moment(text: str, *, now: float | None = None) -> float:
    """A duration back from ``now`` (``15m``: fifteen minutes ago) or an ISO-8601 time."""
    if is_duration(text):
        return (time.time() if now is None else now) - parse_duration(text)
    return parse_iso(text)


def to_iso(text: str, *, now: float | None = None) -> str:
    """:func:`moment` in the wire format; ``ValueError`` if ``text`` names no moment."""
    return iso(moment(text, now=now))


def span(seconds: float) -> str:
    """A length of time as people say it: ``45 s``, ``15 min``, ``2 h 30 min``, ``3 d``."""
    total = round(abs(seconds))
    if total < 60:
        return f"{total} s"
    minutes = round(total / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes and hours < 10 else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours and days < 10 else f"{days} d"


def relative(moment: float, now: float) -> str:
    """``moment`` seen from ``now``: ``in 15 min``, ``3 h ago``, or ``now`` within 30 s."""
    delta = moment - now
    if abs(delta) < 30:
        return "now"
    return f"in {span(delta)}" if delta > 0 else f"{span(delta)} ago"


def ms_since(started: float) -> float:
    """Milliseconds (two decimals) since ``started``, a :func:`time.perf_counter` reading."""
    return round((time.perf_counter() - started) * 1000, 2)
