"""SLA rules per team and environment (D20, facts §3.10) and the SLA fields of a ticket.

Rules: the four D20 defaults are written the first time a team+environment needs them, after
which ``/sla/rules`` owns them (edit, disable, delete, add). The rule that applies to a priority is
the newest *enabled* one; with none, tickets of that priority get no deadlines (no tiers, no
bosses, XP ×1). A rule applies to tickets created, or re-prioritised, after it changed.
``businessHoursOnly`` is stored and shown; the local platform counts every hour.

Pausing: while a ticket is ``pending`` its SLA is paused (``slaPaused``). When it leaves pending,
both deadlines move later by the time it spent paused, so a deadline always equals
``created + target + time paused so far``. Tiers judge active (unpaused) time only.
"""

from __future__ import annotations

from cstar_cli.platform import ids
from cstar_cli.platform.game import rules
from cstar_cli.platform.game.defaults import DEFAULT_TARGETS
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.wire.times import iso, parse_iso

RULE_PREFIX = "sla_"
DEFAULT_NAMES = {
    "urgent": "Urgent",
    "high": "High priority",
    "normal": "Normal priority",
    "low": "Low priority",
}
CLOSED = ("resolved", "closed")
ACTIVE = ("new", "open")


def ensure_scope(db: Database, team_id: str, livemode: bool) -> Row:
    """The ``game_scopes`` row of a team+environment, created on first use."""
    db.execute(
        "INSERT OR IGNORE INTO game_scopes (team_id, livemode) VALUES (?, ?)",
        (team_id, int(livemode)),
    )
    row = db.one(
        "SELECT * FROM game_scopes WHERE team_id = ? AND livemode = ?", (team_id, int(livemode))
    )
    assert row is not None
    return row


def ensure_default_rules(db: Database, team_id: str, livemode: bool, now: float) -> None:
    """Write the D20 default rules once per team+environment."""
    seeded = db.one(
        "SELECT sla_seeded FROM game_scopes WHERE team_id = ? AND livemode = ?",
        (team_id, int(livemode)),
    )
    if seeded is not None and seeded["sla_seeded"]:
        return  # the common case: no write transaction
    with db.transaction():
        scope = ensure_scope(db, team_id, livemode)
        if scope["sla_seeded"]:
            return
        stamp = iso(now)
        for priority, (response, resolution) in DEFAULT_TARGETS.items():
            db.insert(
                "sla_rules",
                {
                    "id": ids.new_hex(),
                    "team_id": team_id,
                    "livemode": int(livemode),
                    "name": DEFAULT_NAMES[priority],
                    "priority": priority,
                    "response_target": response,
                    "resolution_target": resolution,
                    "business_hours_only": 0,
                    "enabled": 1,
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
        db.execute(
            "UPDATE game_scopes SET sla_seeded = 1 WHERE team_id = ? AND livemode = ?",
            (team_id, int(livemode)),
        )


def targets(
    db: Database, principal: Principal, priority: str, now: float
) -> tuple[int, int] | None:
    """``(response, resolution)`` minutes of the rule that applies to ``priority``, if any."""
    ensure_default_rules(db, principal.team_id, principal.livemode, now)
    row = db.one(
        "SELECT response_target, resolution_target FROM sla_rules "
        "WHERE team_id = ? AND livemode = ? AND priority = ? AND enabled = 1 "
        "ORDER BY created_at DESC, rowid DESC LIMIT 1",
        (principal.team_id, int(principal.livemode), priority),
    )
    if row is None:
        return None
    return int(row["response_target"]), int(row["resolution_target"])


def deadlines(
    db: Database,
    principal: Principal,
    priority: str,
    created: float,
    *,
    now: float,
    paused_seconds: float = 0.0,
) -> tuple[str | None, str | None]:
    """The response and resolution deadlines of a ticket created at ``created``."""
    found = targets(db, principal, priority, now)
    if found is None:
        return None, None
    start = created + paused_seconds
    return iso(start + found[0] * 60), iso(start + found[1] * 60)


def windows(ticket: Row) -> list[tuple[float, float]]:
    """``(deadline, target seconds)`` of each SLA window the ticket still has to meet."""
    created = parse_iso(ticket["created_at"])
    paused = float(ticket.get("sla_paused_seconds") or 0.0)
    found = []
    names = ["resolution_deadline"]
    if not ticket.get("first_response_at"):
        names.insert(0, "response_deadline")
    for name in names:
        value = ticket.get(name)
        if value is not None:
            deadline = parse_iso(value)
            found.append((deadline, deadline - created - paused))
    return found


def next_deadline(ticket: Row) -> float | None:
    """The earliest deadline the ticket has yet to meet (None without an SLA)."""
    found = windows(ticket)
    return min(d for d, _ in found) if found else None


def risk_time(ticket: Row) -> float | None:
    """When the ticket passes 75 % of one of its open windows (None without an SLA)."""
    found = windows(ticket)
    return min(rules.risk_at(d, t) for d, t in found) if found else None


def risk_column(ticket: Row) -> str | None:
    """``sla_risk_at``: when a new/open ticket with a running SLA may join a boss (indexed)."""
    if ticket["status"] not in ACTIVE or ticket.get("sla_paused"):
        return None
    risk = risk_time(ticket)
    return None if risk is None else iso(risk)


def _shift(value: str | None, seconds: float) -> str | None:
    return None if value is None else iso(parse_iso(value) + seconds)


def _tier(row: Row, deadline_field: str, done_at: float) -> str | None:
    deadline = row.get(deadline_field)
    if deadline is None:
        return None
    created = parse_iso(row["created_at"])
    paused = float(row.get("sla_paused_seconds") or 0.0)
    if row.get("sla_paused_at"):  # work done while still paused: the pause so far is not counted
        paused_now = max(0.0, done_at - parse_iso(row["sla_paused_at"]))
    else:
        paused_now = 0.0
    target = parse_iso(deadline) - created - paused
    elapsed = done_at - created - paused - paused_now
    return rules.tier_for(elapsed, target)


def sla_fields(before: Row | None, after: Row, now: float) -> Row:
    """Column changes that keep a ticket's SLA fields right after a write.

    ``before`` is the stored row (None on create), ``after`` the row with the write applied.
    Handles pausing (``pending``), shifting deadlines on resume, ``responseTier`` on the first
    agent response and ``resolutionTier`` on the first resolve/close.
    """
    changes: Row = {}
    was_pending = before is not None and before["status"] == "pending"
    is_pending = after["status"] == "pending"
    if is_pending and not was_pending:
        changes.update(sla_paused=1, sla_paused_at=iso(now))
    elif was_pending and not is_pending:
        assert before is not None
        started = before.get("sla_paused_at")
        paused_for = max(0.0, now - parse_iso(started)) if started else 0.0
        changes.update(
            sla_paused=0,
            sla_paused_at=None,
            sla_paused_seconds=float(before.get("sla_paused_seconds") or 0.0) + paused_for,
            response_deadline=_shift(after.get("response_deadline"), paused_for),
            resolution_deadline=_shift(after.get("resolution_deadline"), paused_for),
        )
    merged = {**after, **changes}
    first_response = merged.get("first_response_at")
    if (
        first_response
        and (before is None or not before.get("first_response_at"))
        and merged.get("response_tier") is None
    ):
        changes["response_tier"] = _tier(merged, "response_deadline", parse_iso(first_response))
    resolved_now = merged["status"] in CLOSED and (before is None or before["status"] not in CLOSED)
    if resolved_now and merged.get("resolution_tier") is None:
        changes["resolution_tier"] = _tier(merged, "resolution_deadline", now)
    risk = risk_column(merged)
    if risk != merged.get("sla_risk_at"):
        changes["sla_risk_at"] = risk
    return changes


def loaded_fields(db: Database, principal: Principal, ticket: Row, now: float) -> Row:
    """The SLA columns of a ticket a data file loads (D34), recomputed from what it says:
    deadlines from its ``created_at`` and the rules as loaded, paused while ``pending`` (since
    its last update, with no earlier pause counted), the tiers its first response and its
    first resolution earned, and when it may join a boss."""
    pending = ticket["status"] == "pending"
    response, resolution = deadlines(
        db, principal, ticket["priority"], parse_iso(ticket["created_at"]), now=now
    )
    row: Row = {
        **ticket,
        "response_deadline": response,
        "resolution_deadline": resolution,
        "sla_paused": int(pending),
        "sla_paused_at": ticket["updated_at"] if pending else None,
        "sla_paused_seconds": 0.0,
    }
    first = row.get("first_response_at")
    row["response_tier"] = _tier(row, "response_deadline", parse_iso(first)) if first else None
    done: str | None = row.get("resolved_at") or row.get("closed_at")
    row["resolution_tier"] = None
    if row["status"] in CLOSED and done is not None:
        row["resolution_tier"] = _tier(row, "resolution_deadline", parse_iso(done))
    row["sla_risk_at"] = risk_column(row)
    return {name: row[name] for name in SLA_COLUMNS}


SLA_COLUMNS = (
    "response_deadline",
    "resolution_deadline",
    "response_tier",
    "resolution_tier",
    "sla_paused",
    "sla_paused_at",
    "sla_paused_seconds",
    "sla_risk_at",
)
