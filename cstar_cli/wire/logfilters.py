"""The filters of ``GET /logs`` and ``/logs/stream`` (D17), checked one way on both sides.

``cstar logs`` checks them before any call (exit 2 naming the flag); the platform checks them
again (400 naming the query parameter). Both say the same thing about a bad value, each with
the name its user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from cstar_cli.wire.enums import HTTP_METHODS, LOG_SOURCES, STATUS_CLASSES
from cstar_cli.wire.times import iso, moment, parse_iso


class BadFilter(ValueError):
    """A filter value that is refused: ``param`` is its wire name (``statusClass``)."""

    def __init__(self, param: str, problem: str) -> None:
        super().__init__(problem)
        self.param = param
        self.problem = problem
        """What is wrong, after the filter's name: ``'FOO' is not an HTTP method (…).``"""

    def named(self, name: str) -> str:
        """The message, with the filter called ``name`` (``--status-class``, ``statusClass``)."""
        return f"{name} {self.problem}"


@dataclass(frozen=True)
class LogFilters:
    """Checked, normalised filters; empty means no filter."""

    methods: tuple[str, ...] = ()
    path: str | None = None
    """Relative to the team (``/tickets``) or absolute (``/api/…``); ``*`` is a glob."""
    statuses: tuple[int, ...] = ()
    status_class: str | None = None
    source: str | None = None
    since: float | None = None
    """Epoch seconds."""

    @classmethod
    def parse(
        cls,
        *,
        method: str | None = None,
        path: str | None = None,
        status: str | None = None,
        status_class: str | None = None,
        source: str | None = None,
        since: str | None = None,
        durations: bool = False,
        now: float | None = None,
    ) -> Self:
        """Check the values as they are typed. ``since`` is an ISO-8601 time, or with
        ``durations`` also a time ago (``10m``, ``2h``, ``7d``) from ``now`` (the team's time,
        D37; this machine's when not given)."""
        return cls(
            methods=_methods(method),
            path=_path(path),
            statuses=_statuses(status),
            status_class=_one_of("statusClass", status_class, STATUS_CLASSES, lower=True),
            source=_one_of("source", source, LOG_SOURCES),
            since=_since(since, durations, now),
        )

    def query(self) -> dict[str, str]:
        """The query parameters that ask the platform for these filters."""
        params = {
            "method": ",".join(self.methods),
            "path": self.path or "",
            "status": ",".join(map(str, self.statuses)),
            "statusClass": self.status_class or "",
            "source": self.source or "",
            "since": iso(self.since) if self.since is not None else "",
        }
        return {key: value for key, value in params.items() if value}


def _methods(text: str | None) -> tuple[str, ...]:
    methods = tuple(m.strip().upper() for m in (text or "").split(",") if m.strip())
    for method in methods:
        if method not in HTTP_METHODS:
            raise BadFilter(
                "method", f"{method!r} is not an HTTP method ({', '.join(HTTP_METHODS)})."
            )
    return methods


def _path(path: str | None) -> str | None:
    if path and not path.startswith("/"):
        raise BadFilter("path", f"{path!r} must start with '/', e.g. /tickets or /tickets/*.")
    return path or None


def _statuses(text: str | None) -> tuple[int, ...]:
    codes = [code.strip() for code in (text or "").split(",") if code.strip()]
    if text and not (codes and all(c.isdigit() and 100 <= int(c) <= 599 for c in codes)):
        raise BadFilter("status", f"{text!r} takes HTTP codes like 404 or 400,409.")
    return tuple(int(code) for code in codes)


def _one_of(
    param: str, value: str | None, allowed: tuple[str, ...], lower: bool = False
) -> str | None:
    if not value:
        return None
    value = value.lower() if lower else value
    if value not in allowed:
        raise BadFilter(param, f"is one of {', '.join(allowed)}.")
    return value


def _since(text: str | None, durations: bool, now: float | None = None) -> float | None:
    if not text:
        return None
    try:
        return moment(text, now=now) if durations else parse_iso(text)
    except ValueError:
        forms = "neither a duration (10m, 2h, 7d) nor" if durations else "not"
        raise BadFilter("since", f"{text!r} is {forms} an ISO-8601 time.") from None
