"""The engine: applies :mod:`rules` to stored tickets, players and bosses inside transactions.

Every function here runs inside the caller's transaction and records the events of the changes
it makes through :class:`Scope`, so a change and its events are committed together (D10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.audit.trail import event_entry
from cstar_cli.platform.game import rules
from cstar_cli.platform.game.sla import CLOSED, ensure_scope, next_deadline, risk_time
from cstar_cli.platform.game.views import boss_data, load_player, member_data, player_data
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.work import Work
from cstar_cli.wire.times import iso

ACTIVE_STATUSES = ("new", "open")

# Tickets that may be at risk: ``sla_risk_at`` (kept by ``sla.sla_fields``) is indexed, so a write
# or a timer tick reads only those, however many tickets are open.
CANDIDATES_SQL = (
    "SELECT * FROM tickets WHERE team_id = ? AND livemode = ? "
    "AND sla_risk_at IS NOT NULL AND sla_risk_at <= ? "
    "AND id NOT IN (SELECT ticket_id FROM boss_tickets)"
)


def system_principal(team_id: str, livemode: bool) -> Principal:
    """The caller recorded for events the background timer emits."""
    return Principal(
        key_id="key_system",
        team_id=team_id,
        key_type="secret",
        livemode=livemode,
        redacted_key="system",
    )


@dataclass
class Scope:
    """One team+environment at one moment, with the request that caused the work (if any)."""

    work: Work
    principal: Principal
    now: float
    request_id: str | None = None

    @property
    def db(self) -> Database:
        return self.work.db

    @property
    def emitted(self) -> int:
        return self.work.emitted

    @property
    def team_id(self) -> str:
        return self.principal.team_id

    @property
    def livemode(self) -> int:
        return int(self.principal.livemode)

    @property
    def stamp(self) -> str:
        return iso(self.now)

    def emit(self, event_type: str, data: dict[str, Any]) -> None:
        """Record a game event and audit it (D42): by the request's actor, or by ``system``."""
        self.work.emit(self.principal, event_type, data, now=self.now, request_id=self.request_id)
        kind, found, details = event_entry(event_type, data)
        self.work.audit(self.principal, event_type, found, details, self.now, resource_type=kind)


def _fighting(ticket: Row | None) -> bool:
    """An at-risk candidate: new or open, SLA running (not paused)."""
    return (
        ticket is not None and ticket["status"] in ACTIVE_STATUSES and not ticket.get("sla_paused")
    )


# -- bosses --------------------------------------------------------------------------------------
def active_boss(scope: Scope) -> Row | None:
    return scope.db.one(
        "SELECT * FROM bosses WHERE team_id = ? AND livemode = ? AND status = 'active' "
        "ORDER BY spawned_at LIMIT 1",
        (scope.team_id, scope.livemode),
    )


def _boss_fighting_over(scope: Scope, ticket_hex: str) -> Row | None:
    """The active boss this ticket still belongs to (not yet resolved against it), if any."""
    return scope.db.one(
        "SELECT b.* FROM bosses b JOIN boss_tickets bt ON bt.boss_id = b.id "
        "WHERE bt.ticket_id = ? AND bt.damaged_at IS NULL AND b.status = 'active'",
        (ticket_hex,),
    )


def _ticket(scope: Scope, hex_id: str, override: dict[str, Row]) -> Row | None:
    if hex_id in override:
        return override[hex_id]
    return scope.db.one("SELECT * FROM tickets WHERE id = ?", (hex_id,))


def _open_members(scope: Scope, boss_id: str, override: dict[str, Row]) -> list[Row]:
    """The boss's tickets not yet resolved against it (deleted tickets left out)."""
    rows = scope.db.all(
        "SELECT ticket_id FROM boss_tickets WHERE boss_id = ? AND damaged_at IS NULL "
        "ORDER BY position",
        (boss_id,),
    )
    found = [_ticket(scope, r["ticket_id"], override) for r in rows]
    return [t for t in found if t is not None]


def _refresh_expiry(scope: Scope, boss_id: str, override: dict[str, Row]) -> None:
    deadlines = [d for t in _open_members(scope, boss_id, override) if (d := next_deadline(t))]
    if deadlines:
        scope.db.execute(
            "UPDATE bosses SET expires_at = ? WHERE id = ?", (iso(min(deadlines)), boss_id)
        )


def evaluate(scope: Scope, override: dict[str, Row] | None = None) -> None:
    """Bring the scope's bosses up to ``scope.now``: escapes first, then spawns and joins.

    ``override`` maps ticket ids to the row to judge instead of the stored one (a write passes
    the ticket as it was *before* the write, so the write is judged against the state it found).
    """
    override = override or {}
    db = scope.db
    boss = active_boss(scope)
    if boss is not None:
        for ticket in _open_members(scope, boss["id"], override):
            deadline = next_deadline(ticket)
            if _fighting(ticket) and deadline is not None and scope.now >= deadline:
                db.execute(
                    "UPDATE bosses SET status = 'escaped', escaped_at = ? WHERE id = ?",
                    (scope.stamp, boss["id"]),
                )
                boss = None  # escaped: marked, and no event (D20)
                break
    candidates = {
        row["id"]: row
        for row in db.all(CANDIDATES_SQL, (scope.team_id, scope.livemode, scope.stamp))
    }
    for hex_id, row in override.items():
        taken = db.one("SELECT 1 AS x FROM boss_tickets WHERE ticket_id = ?", (hex_id,))
        if taken is None:
            candidates[hex_id] = row
    at_risk: list[tuple[float, str, Row]] = []
    for ticket in candidates.values():
        if not _fighting(ticket):
            continue
        risk, deadline = risk_time(ticket), next_deadline(ticket)
        if risk is None or deadline is None or risk > scope.now:
            continue
        if scope.now < deadline:
            at_risk.append((risk, ticket["created_at"], ticket))
        elif ticket["id"] not in override:
            # First seen past its deadline: missed, not at risk. Off the index until a write
            # (say the first response) gives it a window to meet again.
            db.execute("UPDATE tickets SET sla_risk_at = NULL WHERE id = ?", (ticket["id"],))
    if at_risk:
        at_risk.sort(key=lambda item: (item[0], item[1]))
        tickets = [t for _, _, t in at_risk]
        if boss is None:
            _spawn(scope, tickets, override)
        else:
            _join(scope, boss, tickets, override)
    elif boss is not None:
        _refresh_expiry(scope, boss["id"], override)


def _add_tickets(scope: Scope, boss_id: str, tickets: list[Row], start: int) -> None:
    for offset, ticket in enumerate(tickets):
        scope.db.insert(
            "boss_tickets",
            {
                "boss_id": boss_id,
                "ticket_id": ticket["id"],
                "position": start + offset,
                "joined_at": scope.stamp,
                "damaged_at": None,
                "damaged_by": None,
            },
        )


def _spawn(scope: Scope, tickets: list[Row], override: dict[str, Row]) -> None:
    db = scope.db
    ensure_scope(db, scope.team_id, bool(scope.livemode))
    db.execute(
        "UPDATE game_scopes SET bosses_spawned = bosses_spawned + 1 "
        "WHERE team_id = ? AND livemode = ?",
        (scope.team_id, scope.livemode),
    )
    counter = db.one(
        "SELECT bosses_spawned FROM game_scopes WHERE team_id = ? AND livemode = ?",
        (scope.team_id, scope.livemode),
    )
    number = int(counter["bosses_spawned"]) if counter else 1
    hp = rules.BOSS_HP_PER_TICKET * len(tickets)
    boss: Row = {
        "id": ids.new_hex(),
        "team_id": scope.team_id,
        "livemode": scope.livemode,
        "number": number,
        "name": rules.boss_name(number),
        "status": "active",
        "hp": hp,
        "max_hp": hp,
        "spawned_at": scope.stamp,
        "expires_at": None,
        "defeated_at": None,
        "escaped_at": None,
        "final_blow_member": None,
        "team_credit": 0,
    }
    db.insert("bosses", boss)
    _add_tickets(scope, boss["id"], tickets, 0)
    _refresh_expiry(scope, boss["id"], override)
    stored = db.one("SELECT * FROM bosses WHERE id = ?", (boss["id"],))
    assert stored is not None
    scope.emit("boss.spawned", {"boss": boss_data(db, stored)})


def _join(scope: Scope, boss: Row, tickets: list[Row], override: dict[str, Row]) -> None:
    """More tickets at risk while a boss is active: it grows (no catalogue event for that)."""
    db = scope.db
    position = db.one(
        "SELECT COALESCE(MAX(position), -1) + 1 AS n FROM boss_tickets WHERE boss_id = ?",
        (boss["id"],),
    )
    _add_tickets(scope, boss["id"], tickets, int(position["n"]) if position else 0)
    extra = rules.BOSS_HP_PER_TICKET * len(tickets)
    db.execute(
        "UPDATE bosses SET hp = hp + ?, max_hp = max_hp + ? WHERE id = ?",
        (extra, extra, boss["id"]),
    )
    _refresh_expiry(scope, boss["id"], override)


def _hit(scope: Scope, ticket: Row, member: Row | None, xp: int) -> None:
    """Resolving a ticket of the active boss deals 100 damage; 0 HP defeats the boss."""
    db = scope.db
    boss = _boss_fighting_over(scope, ticket["id"])
    if boss is None:
        return
    hp = max(0, int(boss["hp"]) - rules.BOSS_DAMAGE)
    member_id = member["id"] if member else None
    db.execute(
        "UPDATE boss_tickets SET damaged_at = ?, damaged_by = ? WHERE ticket_id = ?",
        (scope.stamp, member_id, ticket["id"]),
    )
    values: Row = {"hp": hp}
    if hp == 0:
        values.update(
            status="defeated",
            defeated_at=scope.stamp,
            final_blow_member=member_id,
            team_credit=int(member is None),
        )
    db.update("bosses", "id", boss["id"], values)
    updated = {**boss, **values}
    ticket_id = ids.TICKET + ticket["id"]
    common = {"damage": rules.BOSS_DAMAGE, "ticket_id": ticket_id}
    scope.emit(
        "boss.damaged",
        {"boss": boss_data(db, updated), **common, "member": member_data(member), "xp_awarded": xp},
    )
    if hp > 0:
        return
    gold = 0
    if member is not None:
        gold = rules.BOSS_GOLD_PER_TICKET * (int(boss["max_hp"]) // rules.BOSS_HP_PER_TICKET)
        load_player(db, member)
        db.execute(
            "UPDATE game_players SET gold = gold + ?, final_blows = final_blows + 1 "
            "WHERE member_id = ?",
            (gold, member["id"]),
        )
    fighters = db.all(
        "SELECT DISTINCT bt.damaged_by AS id FROM boss_tickets bt JOIN members m "
        "ON m.id = bt.damaged_by WHERE bt.boss_id = ?",
        (boss["id"],),
    )
    for fighter in fighters:
        fighter_row = db.one("SELECT * FROM members WHERE id = ?", (fighter["id"],))
        if fighter_row is not None:
            load_player(db, fighter_row)
            db.execute(
                "UPDATE game_players SET bosses_defeated = bosses_defeated + 1 WHERE member_id = ?",
                (fighter["id"],),
            )
    scope.emit(
        "boss.defeated",
        {
            "boss": boss_data(db, updated),
            **common,
            "final_blow": member_data(member),
            "xp_awarded": xp,
            "gold_awarded": gold,
        },
    )


# -- players -------------------------------------------------------------------------------------
def _award(scope: Scope, member: Row, ticket: Row, tier: str | None) -> tuple[Row, int]:
    """XP, level and streak for closing ``ticket``; returns the updated member row and the XP."""
    db = scope.db
    amount, multiplier = rules.ticket_xp(ticket["priority"], tier)
    player = load_player(db, member)
    old_level = rules.level_for_xp(int(member["xp"]))
    xp = int(member["xp"]) + amount
    level = rules.level_for_xp(xp)
    db.execute("UPDATE members SET xp = ?, level = ? WHERE id = ?", (xp, level, member["id"]))
    db.insert(
        "xp_ledger",
        {
            "member_id": member["id"],
            "team_id": scope.team_id,
            "livemode": scope.livemode,
            "amount": amount,
            "reason": "ticket_closed",
            "ticket_id": ticket["id"],
            "tier": tier,
            "created_at": scope.stamp,
        },
    )
    day = rules.day_of(scope.now)
    old_streak = rules.visible_streak(player["streak_last_day"], int(player["streak_current"]), day)
    streak = rules.next_streak(player["streak_last_day"], int(player["streak_current"]), day)
    player_values: Row = {
        "streak_current": streak,
        "streak_max": max(int(player["streak_max"]), streak),
        "streak_last_day": day,
        "tickets_closed": int(player["tickets_closed"]) + 1,
        "gold_resolutions": int(player["gold_resolutions"]) + int(tier == "gold"),
    }
    db.update("game_players", "member_id", member["id"], player_values)
    member = {**member, "xp": xp, "level": level}
    player = {**player, **player_values}
    snapshot = player_data(member, player, scope.now)
    scope.emit(
        "player.xp_gained",
        {
            "player": snapshot,
            "amount": amount,
            "reason": "ticket_closed",
            "ticket_id": ids.TICKET + ticket["id"],
            "sla_tier": tier,
            "multiplier": multiplier,
        },
    )
    if level > old_level:
        scope.emit(
            "player.level_up", {"player": snapshot, "old_level": old_level, "new_level": level}
        )
    if streak != old_streak and streak in rules.STREAK_MILESTONES:
        scope.emit("player.streak_milestone", {"player": snapshot, "days": streak})
    return member, amount


def _achievements(scope: Scope, member_id: str) -> None:
    db = scope.db
    member = db.one("SELECT * FROM members WHERE id = ?", (member_id,))
    if member is None:
        return
    player = load_player(db, member)
    have = {
        r["key"]
        for r in db.all("SELECT key FROM game_achievements WHERE member_id = ?", (member_id,))
    }
    for achievement in rules.earned(player):
        if achievement.key in have:
            continue
        db.insert(
            "game_achievements",
            {
                "member_id": member_id,
                "team_id": scope.team_id,
                "livemode": scope.livemode,
                "key": achievement.key,
                "unlocked_at": scope.stamp,
            },
        )
        scope.emit(
            "player.achievement_unlocked",
            {
                "player": player_data(member, player, scope.now),
                "achievement": {
                    "key": achievement.key,
                    "name": achievement.name,
                    "description": achievement.description,
                    "unlocked_at": scope.stamp,
                },
            },
        )


# -- what tickets call -------------------------------------------------------------------------
def ticket_written(scope: Scope, before: Row | None, after: Row) -> None:
    """A ticket was created or changed: re-evaluate bosses, then score a resolution."""
    evaluate(scope, {after["id"]: before} if before is not None else None)
    if after["status"] not in CLOSED or (before is not None and before["status"] in CLOSED):
        return
    db = scope.db
    member = None
    if after.get("assigned_to"):
        member = db.one("SELECT * FROM members WHERE id = ?", (after["assigned_to"],))
    xp = 0
    if member is not None:
        scored = db.one(
            "SELECT 1 AS x FROM xp_ledger WHERE ticket_id = ? AND reason = 'ticket_closed'",
            (after["id"],),
        )
        if scored is None:  # XP for a ticket's first resolution only
            member, xp = _award(scope, member, after, after.get("resolution_tier"))
    _hit(scope, after, member, xp)
    if member is not None:
        _achievements(scope, member["id"])


def ticket_deleted(scope: Scope, row: Row) -> None:
    """A deleted ticket leaves its active boss (HP −100, silently); an empty boss slips away."""
    db = scope.db
    boss = _boss_fighting_over(scope, row["id"])
    if boss is None:
        return
    db.execute("DELETE FROM boss_tickets WHERE ticket_id = ?", (row["id"],))
    remaining = db.one(
        "SELECT COUNT(*) AS n FROM boss_tickets WHERE boss_id = ? AND damaged_at IS NULL",
        (boss["id"],),
    )
    values: Row = {
        "hp": max(0, int(boss["hp"]) - rules.BOSS_HP_PER_TICKET),
        "max_hp": max(0, int(boss["max_hp"]) - rules.BOSS_HP_PER_TICKET),
    }
    if remaining is None or int(remaining["n"]) == 0:
        values.update(status="escaped", escaped_at=scope.stamp)
    db.update("bosses", "id", boss["id"], values)
