"""SLA metrics (D45): how the tickets created in a window of team time did against their SLA.

The window is ``[since, until)`` on the team clock (D21, D37), by default the 30 days up to now.
Per priority and overall: how many tickets, how many answered and resolved within target (the
tiers :mod:`cstar_cli.platform.game.sla` stored when it happened: gold, silver and bronze are
within), the median minutes to the first response and to resolution, the breaches, and the
resolution tiers of D19. A ticket still open past a deadline with its SLA running is a breach
and counts as missed on that target; one within its deadlines is not judged yet.
"""

from __future__ import annotations

import statistics
from typing import Any

from cstar_cli.platform.game.sla import targets
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.resources.windows import moment, ordered
from cstar_cli.platform.store.db import Row
from cstar_cli.wire.enums import PRIORITIES
from cstar_cli.wire.times import iso, parse_iso

DEFAULT_DAYS = 30
WITHIN = ("gold", "silver", "bronze")
TIERS = (*WITHIN, "missed")
CLOSED = ("resolved", "closed")


class SlaMetrics(Service):
    """The SLA metrics of the caller's team and environment."""

    table = "tickets"
    prefix = "tkt_"
    param = "ticketId"
    noun = "ticket"

    def metrics(self, since: str | None, until: str | None) -> dict[str, Any]:
        now = self.now()
        end = moment(until, "until")
        end = now if end is None else end
        start = moment(since, "since")
        start = end - DEFAULT_DAYS * 86_400 if start is None else start
        ordered(start, end)
        where = self.where()
        where.add("julianday(created_at) >= julianday(?)", iso(start))
        where.add("julianday(created_at) < julianday(?)", iso(end))
        rows = self.db.all(f"SELECT * FROM tickets WHERE {where.sql} ORDER BY rowid", where.params)
        by_priority = {}
        for priority in reversed(PRIORITIES):  # urgent first
            found = targets(self.db, self.principal, priority, now)
            chosen = [row for row in rows if row["priority"] == priority]
            by_priority[priority] = {
                **summarize(chosen, now),
                "responseTargetMinutes": found[0] if found else None,
                "resolutionTargetMinutes": found[1] if found else None,
            }
        return {
            "object": "sla_metrics",
            "since": iso(start),
            "until": iso(end),
            "overall": summarize(rows, now),
            "byPriority": by_priority,
        }


def summarize(rows: list[Row], now: float) -> dict[str, Any]:
    """The metrics of ``rows`` (tickets) as of ``now``."""
    responded = [_response(row, now) for row in rows]
    resolved = [_resolution(row, now) for row in rows]
    tiers = dict.fromkeys(TIERS, 0)
    for row in rows:
        tier = row["resolution_tier"]
        if row["status"] in CLOSED and tier in tiers:
            tiers[tier] += 1
    return {
        "tickets": len(rows),
        "respondedWithinTarget": _within(responded),
        "resolvedWithinTarget": _within(resolved),
        "medianFirstResponseMinutes": _median(
            [_minutes(row, row["first_response_at"]) for row in rows]
        ),
        "medianResolutionMinutes": _median(
            [_minutes(row, _done_at(row)) for row in rows if row["status"] in CLOSED]
        ),
        "breaches": sum(1 for r, s in zip(responded, resolved, strict=True) if "missed" in (r, s)),
        "tiers": tiers,
    }


def _response(row: Row, now: float) -> str | None:
    """``within``, ``missed`` or ``None`` (not judged yet, or no SLA) for the response target."""
    if row["first_response_at"]:
        tier = row["response_tier"]
        return None if tier is None else ("within" if tier in WITHIN else "missed")
    return _overdue(row, "response_deadline", now)


def _resolution(row: Row, now: float) -> str | None:
    if row["status"] in CLOSED:
        tier = row["resolution_tier"]
        return None if tier is None else ("within" if tier in WITHIN else "missed")
    return _overdue(row, "resolution_deadline", now)


def _overdue(row: Row, deadline: str, now: float) -> str | None:
    """``missed`` when the deadline has passed with the SLA running (a pending ticket's SLA is
    paused, and its deadline moves when it resumes)."""
    value = row[deadline]
    if value is None or row["sla_paused"] or row["status"] in CLOSED:
        return None
    return "missed" if parse_iso(value) < now else None


def _within(outcomes: list[str | None]) -> dict[str, Any]:
    judged = [o for o in outcomes if o is not None]
    count = judged.count("within")
    return {"count": count, "percent": round(100 * count / len(judged), 1) if judged else None}


def _done_at(row: Row) -> str | None:
    value: str | None = row["resolved_at"] or row["closed_at"]
    return value


def _minutes(row: Row, moment_: str | None) -> float | None:
    if moment_ is None:
        return None
    return max(0.0, (parse_iso(moment_) - parse_iso(row["created_at"])) / 60)


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 1) if present else None
