"""What a reset (D33) does to the database: clear a team's test environment, keep its seed.

Exhaustive by construction: the tables are read from ``sqlite_master`` at run time, and every
one is cleared for the team's test environment unless it stands on :data:`KEEP`. A table is
cleared by its own ``team_id``/``livemode`` columns, or, without them, through the foreign key
of a parent that has them (``boss_tickets`` through ``bosses``, ``route_events`` through
``listen_sessions``); children go before their parents, so every count is the table's own. A
table a later migration adds is cleared the same way without touching this module; one that can
be told by neither stands in :attr:`Plan.unclassified` (a test requires that list to be empty, so
a new table has to say where it stands: environment data, or on the keep-list).

A few tables are put back rather than emptied (:data:`RESTORED`): members and keys keep their
seed rows (restored to their seed state), SLA rules go back to the defaults, the game scope's
counters to zero. Rows are deleted, never tables dropped, and ``sqlite_sequence`` is left alone:
sequence numbers (events, request log, listen queues) never restart.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

from cstar_cli.platform.game.defaults import DEFAULT_TARGETS
from cstar_cli.platform.game.sla import DEFAULT_NAMES, ensure_default_rules
from cstar_cli.platform.seed import SEED_MEMBERS, seed_member
from cstar_cli.platform.store.db import Database
from cstar_cli.wire.camel import camel_case

KEEP: dict[str, str] = {
    "teams": "the team itself",
    "schema_version": "the schema's own bookkeeping",
    "platform_vault": "the platform key's probe (D27)",
    "dispatcher_state": "the dispatcher's cursor over the outbox: event numbers never restart",
    "listen_sessions": "listen sessions stay, connected or not; their queues are emptied",
    "listen_routes": "a session's routes stay with it, and keep numbering where they were",
}
"""Tables a reset leaves as they are, each with the reason."""

RESTORED: tuple[str, ...] = ("members", "api_keys", "sla_rules", "game_scopes")
"""Tables a reset puts back rather than empties (see :func:`wipe`)."""

WIRE_NAMES = {"api_keys": "keys", "route_events": "listenQueue"}
"""How a table is named in the answer's ``deleted`` when not by its name in camelCase."""

_SCOPE = "team_id = :team AND livemode = 0"


@dataclass(frozen=True)
class Step:
    """Delete the rows of ``table`` that ``where`` selects (parameter ``:team``)."""

    table: str
    where: str


@dataclass(frozen=True)
class Plan:
    steps: list[Step]
    """The tables to clear, children before parents."""
    unclassified: list[str]
    """Tables neither kept nor scoped: a reset cannot tell whose rows they hold."""


@dataclass
class Wiped:
    """What :func:`wipe` did: rows deleted per wire name; keys removed and restored (hex ids)."""

    deleted: dict[str, int] = field(default_factory=dict)
    removed_keys: list[str] = field(default_factory=list)
    restored_keys: list[str] = field(default_factory=list)


def wire_name(table: str) -> str:
    return WIRE_NAMES.get(table, camel_case(table))


_plans: weakref.WeakKeyDictionary[Database, tuple[int, Plan]] = weakref.WeakKeyDictionary()


def plan(db: Database) -> Plan:
    """How to clear a test environment in the schema as it is now (worked out again whenever
    the schema changes)."""
    row = db.one("PRAGMA schema_version")
    version = int(next(iter(row.values()))) if row else -1
    known = _plans.get(db)
    if known is None or known[0] != version:
        known = _plans[db] = (version, _plan(db))
    return known[1]


def _plan(db: Database) -> Plan:
    tables = [
        row["name"]
        for row in db.all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    info = {t: db.all(f"PRAGMA table_info({_quote(t)})") for t in tables}
    keys = {t: db.all(f"PRAGMA foreign_key_list({_quote(t)})") for t in tables}

    def scope(table: str, seen: frozenset[str]) -> str | None:
        columns = {column["name"] for column in info[table]}
        if {"team_id", "livemode"} <= columns:
            return _SCOPE
        for key in keys[table]:
            parent = key["table"]
            if parent in seen or parent not in info:
                continue
            condition = scope(parent, seen | {table})
            if condition is not None:
                target = key["to"] or _primary_key(info[parent])
                return (
                    f"{_quote(key['from'])} IN (SELECT {_quote(target)} FROM {_quote(parent)} "
                    f"WHERE {condition})"
                )
        return None

    steps: list[Step] = []
    unclassified: list[str] = []
    for table in _children_first(tables, keys):
        if table in KEEP or table in RESTORED:
            continue
        condition = scope(table, frozenset())
        if condition is None:
            unclassified.append(table)
        else:
            steps.append(Step(table, condition))
    return Plan(steps, sorted(unclassified))


def wipe(db: Database, team_id: str, stamp: str, now: float) -> Wiped:
    """Clear the team's test environment; call inside a transaction. ``stamp`` and ``now``
    date what is put back (seed members made again, the default SLA rules)."""
    params = {"team": team_id}
    wiped = Wiped()
    for step in plan(db).steps:
        cursor = db.conn.execute(f"DELETE FROM {_quote(step.table)} WHERE {step.where}", params)
        wiped.deleted[wire_name(step.table)] = cursor.rowcount
    wiped.deleted["members"] = _members(db, team_id, stamp)
    _keys(db, team_id, wiped)
    wiped.deleted["slaRules"] = _sla_rules(db, team_id, now)
    db.execute(
        "UPDATE game_scopes SET clock_offset = 0, bosses_spawned = 0 "
        "WHERE team_id = ? AND livemode = 0",
        (team_id,),
    )
    wiped.deleted = dict(sorted(wiped.deleted.items()))
    return wiped


def _members(db: Database, team_id: str, stamp: str) -> int:
    """Delete the members made after seeding; put the seed members back as they were seeded
    (made again if a test deleted one). Returns how many were deleted."""
    gone = db.execute(
        "DELETE FROM members WHERE team_id = ? AND livemode = 0 AND seed = 0", (team_id,)
    ).rowcount
    present = {
        row["seed"]
        for row in db.all("SELECT seed FROM members WHERE team_id = ? AND livemode = 0", (team_id,))
    }
    for position in range(1, len(SEED_MEMBERS) + 1):
        seeded = seed_member(team_id, False, position, stamp)
        if position not in present:
            db.insert("members", seeded)
            continue
        db.execute(
            "UPDATE members SET name = ?, email = ?, avatar_url = NULL, role = ?, "
            "permissions = ?, xp = 0, level = 1 "
            "WHERE team_id = ? AND livemode = 0 AND seed = ?",
            (
                seeded["name"],
                seeded["email"],
                seeded["role"],
                seeded["permissions"],
                team_id,
                position,
            ),
        )
    return int(gone)


def _keys(db: Database, team_id: str, wiped: Wiped) -> None:
    """Delete the keys made after seeding; the seed keys work again (same values)."""
    scope = (team_id,)
    wiped.removed_keys = [
        row["id"]
        for row in db.all(
            "SELECT id FROM api_keys WHERE team_id = ? AND livemode = 0 AND seed = 0", scope
        )
    ]
    wiped.restored_keys = [
        row["id"]
        for row in db.all(
            "SELECT id FROM api_keys WHERE team_id = ? AND livemode = 0 AND seed = 1 AND ("
            "revoked_at IS NOT NULL OR expires_at IS NOT NULL OR replaced_by IS NOT NULL)",
            scope,
        )
    ]
    db.execute("DELETE FROM api_keys WHERE team_id = ? AND livemode = 0 AND seed = 0", scope)
    db.execute(
        "UPDATE api_keys SET revoked_at = NULL, expires_at = NULL, replaced_by = NULL "
        "WHERE team_id = ? AND livemode = 0 AND seed = 1",
        scope,
    )
    wiped.deleted["keys"] = len(wiped.removed_keys)


def _sla_rules(db: Database, team_id: str, now: float) -> int:
    """Put the default SLA rules (D20) back unless they are what the team has; returns how many
    rules were deleted."""
    rows = db.all(
        "SELECT priority, name, response_target, resolution_target, business_hours_only, "
        "enabled FROM sla_rules WHERE team_id = ? AND livemode = 0",
        (team_id,),
    )
    current = sorted(tuple(row.values()) for row in rows)
    defaults = sorted(
        (priority, DEFAULT_NAMES[priority], response, resolution, 0, 1)
        for priority, (response, resolution) in DEFAULT_TARGETS.items()
    )
    seeded = db.one(
        "SELECT sla_seeded FROM game_scopes WHERE team_id = ? AND livemode = 0", (team_id,)
    )
    if current == defaults or (not current and not (seeded or {}).get("sla_seeded")):
        return 0  # untouched: the defaults, or never written yet (they come on first use)
    db.execute("DELETE FROM sla_rules WHERE team_id = ? AND livemode = 0", (team_id,))
    db.execute(
        "UPDATE game_scopes SET sla_seeded = 0 WHERE team_id = ? AND livemode = 0", (team_id,)
    )
    ensure_default_rules(db, team_id, False, now)
    return len(rows)


def _children_first(tables: list[str], keys: dict[str, list[dict[str, object]]]) -> list[str]:
    """``tables`` ordered so that a table comes before every table it references."""
    referencing: dict[str, list[str]] = {table: [] for table in tables}
    for table in tables:
        for key in keys[table]:
            parent = str(key["table"])
            if parent in referencing and parent != table:
                referencing[parent].append(table)
    ordered: list[str] = []
    placed: set[str] = set()

    def place(table: str, path: frozenset[str]) -> None:
        if table in placed or table in path:
            return
        for child in referencing[table]:
            place(child, path | {table})
        placed.add(table)
        ordered.append(table)

    for table in tables:
        place(table, frozenset())
    return ordered


def _primary_key(columns: Iterable[dict[str, object]]) -> str:
    for column in columns:
        if column["pk"] == 1:
            return str(column["name"])
    return "rowid"


def _quote(name: object) -> str:
    return '"' + str(name).replace('"', '""') + '"'
