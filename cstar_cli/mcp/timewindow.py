"""Times an agent may pass to tools: ISO dates, keywords like ``this_week``, durations like ``7d``.

All times are UTC and come out as the API's ISO-8601 form (``2026-03-02T00:00:00.000Z``). Weeks
start on Monday.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cstar_cli.wire import times
from cstar_cli.wire.times import iso_datetime as iso

KEYWORDS = ("today", "yesterday", "this_week", "last_week", "this_month")


class TimeInputError(ValueError):
    """A time or duration the tools cannot read; the message says what is accepted."""


def start_of_day(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def keyword_start(word: str, now: datetime) -> datetime | None:
    """Start of today, yesterday, this_week (Monday), last_week or this_month (UTC)."""
    day = start_of_day(now)
    key = word.strip().lower().replace(" ", "_").replace("-", "_")
    if key == "today":
        return day
    if key == "yesterday":
        return day - timedelta(days=1)
    if key == "this_week":
        return day - timedelta(days=day.weekday())
    if key == "last_week":
        return day - timedelta(days=day.weekday() + 7)
    if key == "this_month":
        return day.replace(day=1)
    return None


def parse_duration(text: str, param: str) -> timedelta:
    """``30m``, ``24h``, ``7d``, ``2w`` (the wire's one duration grammar)."""
    try:
        seconds = times.parse_duration(text)
    except ValueError:
        seconds = 0
    if not seconds:
        raise TimeInputError(f"{param} must be a duration like 30m, 24h, 7d or 2w, not {text!r}.")
    return timedelta(seconds=seconds)


def is_relative(text: str, *, allow_duration: bool = False) -> bool:
    """Whether ``text`` counts from now (a keyword, or a duration where one is allowed)."""
    now = datetime.now(UTC)
    return keyword_start(text, now) is not None or (allow_duration and times.is_duration(text))


def parse_time(text: str, param: str, now: datetime, *, allow_duration: bool = False) -> str:
    """An ISO date or time, a keyword, or (``allow_duration``) a duration back from ``now``."""
    value = text.strip()
    start = keyword_start(value, now)
    if start is not None:
        return iso(start)
    if allow_duration and times.is_duration(value):
        return iso(now - parse_duration(value, param))
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        accepted = "an ISO-8601 date or time (2026-03-02 or 2026-03-02T09:00:00Z), "
        if allow_duration:
            accepted += "a duration back from now (15m, 24h, 7d), "
        raise TimeInputError(
            f"{param} must be {accepted}or one of {', '.join(KEYWORDS)}; got {text!r}."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return iso(moment)
