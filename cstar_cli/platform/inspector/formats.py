"""How the inspector's templates show values: JSON, times, durations, statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def pretty(value: Any) -> str:
    """JSON indented for reading (keys in the order they were sent)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def duration(seconds: float | int | None) -> str:
    """``1d 2h``, ``2h 05m``, ``4m 30s``, ``12s``; ``-`` for none."""
    if seconds is None:
        return "-"
    sign = "-" if seconds < 0 else ""
    total = abs(int(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h" if hours else f"{sign}{days}d"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s"
    return f"{sign}{secs}s"


def millis(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def status_class(status: int | str | None) -> str:
    """A CSS class for an HTTP status or a delivery state."""
    if isinstance(status, int):
        return {2: "ok", 3: "warn", 4: "bad", 5: "bad"}.get(status // 100, "muted")
    return {
        "succeeded": "ok",
        "delivered": "ok",
        "active": "ok",
        "failed": "bad",
        "escaped": "bad",
        "pending": "warn",
        "retrying": "warn",
        "defeated": "muted",
        "cancelled": "muted",
    }.get(str(status), "muted")


def percent(part: float | int | None, whole: float | int | None) -> int:
    if not whole or part is None:
        return 0
    return max(0, min(100, round(100 * float(part) / float(whole))))


def clip(text: str | None, size: int = 120) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def team_relative(path: str) -> str:
    """``/api/v1/teams/<id>/tickets`` as ``/tickets`` (the CLI's and the log filter's form)."""
    prefix = "/api/v1/teams/"
    if not path.startswith(prefix):
        return path
    rest = path[len(prefix) :]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else path


FILTERS: dict[str, Callable[..., Any]] = {
    "pretty": pretty,
    "duration": duration,
    "millis": millis,
    "status_class": status_class,
    "percent": percent,
    "clip": clip,
    "team_relative": team_relative,
}
