"""Quests (D46): daily and weekly goals per member, counted as the game sees tickets written.

Ours, as no public rules exist: close 3 tickets today (daily: 50 XP + 10 gold); answer 5 tickets
within their response target this week, and land a boss's final blow this week (weekly: 150 XP
+ 30 gold each). Days and weeks (Monday 00:00) follow the team's ``timezone`` preference on the
team clock. Progress is one row per member, quest and period; completing one awards its XP and
gold and fires ``player.quest_completed`` (then ``player.xp_gained`` with reason
``quest_completed``, and ``player.level_up`` when the level changes), all inside the write's
transaction. Each hook is a handful of primary-key reads and writes: O(1) per ticket write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Final

from cstar_cli.platform import ids
from cstar_cli.platform.game import rules
from cstar_cli.platform.game.engine import Scope
from cstar_cli.platform.game.sla import CLOSED
from cstar_cli.platform.game.views import load_player, player_data
from cstar_cli.platform.preferences import local, timezone_of
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.wire.times import iso

WITHIN_TARGET: Final = ("gold", "silver", "bronze")


@dataclass(frozen=True)
class Quest:
    key: str
    name: str
    description: str
    period: str  # daily | weekly
    target: int
    reward_xp: int
    reward_gold: int


QUESTS: Final[tuple[Quest, ...]] = (
    Quest("daily_close_3", "Hat Trick", "Close 3 tickets today.", "daily", 3, 50, 10),
    Quest(
        "weekly_respond_5",
        "Quick on the Draw",
        "Answer 5 tickets within their response target this week.",
        "weekly",
        5,
        150,
        30,
    ),
    Quest(
        "weekly_final_blow",
        "Giant Slayer",
        "Land the final blow on an SLA boss this week.",
        "weekly",
        1,
        150,
        30,
    ),
)
BY_KEY: Final[dict[str, Quest]] = {q.key: q for q in QUESTS}


def period_of(quest: Quest, now: float, tz: tzinfo) -> tuple[str, datetime, datetime]:
    """``(key, start, end)`` of the quest's period holding ``now`` in ``tz``: a day
    (``2026-12-06``) or an ISO week starting Monday (``2026-W49``)."""
    moment = local(now, tz)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if quest.period == "daily":
        return day.date().isoformat(), day, _next_day(day, 1, tz)
    start = _next_day(day, -day.weekday(), tz)
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}", start, _next_day(start, 7, tz)


def _next_day(day: datetime, days: int, tz: tzinfo) -> datetime:
    """Midnight ``days`` calendar days from ``day`` in ``tz`` (DST-safe)."""
    target = (day + timedelta(days=days)).date()
    return datetime(target.year, target.month, target.day, tzinfo=tz)


def completed_count(db: Database, member_id: str) -> int:
    """How many quests the member completed, ever (``questsCompleted``)."""
    row = db.one(
        "SELECT COUNT(*) AS n FROM quest_progress WHERE member_id = ? AND completed_at IS NOT NULL",
        (member_id,),
    )
    return int(row["n"]) if row else 0


def progress_rows(db: Database, member_id: str, periods: dict[str, str]) -> dict[str, Row]:
    """The member's progress rows of the given ``{quest key: period}``."""
    found: dict[str, Row] = {}
    for key, period in periods.items():
        row = db.one(
            "SELECT * FROM quest_progress WHERE member_id = ? AND quest = ? AND period = ?",
            (member_id, key, period),
        )
        if row is not None:
            found[key] = row
    return found


# -- the hooks ----------------------------------------------------------------------------------
def after_ticket_written(scope: Scope, before: Row | None, after: Row) -> None:
    """Count a first resolution, a first response within target and a final blow of this write
    (the engine has scored the write already, in the same transaction)."""
    member_id = after.get("assigned_to")
    if not member_id:
        return
    db = scope.db
    if after["status"] in CLOSED and (before is None or before["status"] not in CLOSED):
        scored = db.one(
            "SELECT created_at FROM xp_ledger WHERE ticket_id = ? AND reason = 'ticket_closed'",
            (after["id"],),
        )
        if scored is not None and scored["created_at"] == scope.stamp:  # scored by this write
            advance(scope, member_id, "daily_close_3")
        blow = db.one(
            "SELECT b.final_blow_member AS member FROM boss_tickets bt JOIN bosses b "
            "ON b.id = bt.boss_id WHERE bt.ticket_id = ? AND b.status = 'defeated' "
            "AND b.defeated_at = ? AND bt.damaged_at = ?",
            (after["id"], scope.stamp, scope.stamp),
        )
        if blow is not None and blow["member"] == member_id:
            advance(scope, member_id, "weekly_final_blow")
    answered = before is not None and not before.get("first_response_at")
    if answered and after.get("first_response_at") and after.get("response_tier") in WITHIN_TARGET:
        advance(scope, member_id, "weekly_respond_5")


def advance(scope: Scope, member_id: str, key: str) -> None:
    """One step of a member's quest in the current period; completing it pays out."""
    db = scope.db
    member = db.one("SELECT * FROM members WHERE id = ?", (member_id,))
    if member is None:
        return
    quest = BY_KEY[key]
    period, _, _ = period_of(quest, scope.now, timezone_of(db, scope.team_id, bool(scope.livemode)))
    db.execute(
        "INSERT OR IGNORE INTO quest_progress (member_id, team_id, livemode, quest, period) "
        "VALUES (?, ?, ?, ?, ?)",
        (member_id, scope.team_id, scope.livemode, key, period),
    )
    row = db.one(
        "SELECT progress, completed_at FROM quest_progress "
        "WHERE member_id = ? AND quest = ? AND period = ?",
        (member_id, key, period),
    )
    if row is None or row["completed_at"] is not None:
        return
    progress = int(row["progress"]) + 1
    done = progress >= quest.target
    db.execute(
        "UPDATE quest_progress SET progress = ?, completed_at = ? "
        "WHERE member_id = ? AND quest = ? AND period = ?",
        (progress, scope.stamp if done else None, member_id, key, period),
    )
    if done:
        _reward(scope, member, quest)


def _reward(scope: Scope, member: Row, quest: Quest) -> None:
    db = scope.db
    player = load_player(db, member)
    old_level = rules.level_for_xp(int(member["xp"]))
    xp = int(member["xp"]) + quest.reward_xp
    level = rules.level_for_xp(xp)
    db.execute("UPDATE members SET xp = ?, level = ? WHERE id = ?", (xp, level, member["id"]))
    db.execute(
        "UPDATE game_players SET gold = gold + ? WHERE member_id = ?",
        (quest.reward_gold, member["id"]),
    )
    db.insert(
        "xp_ledger",
        {
            "member_id": member["id"],
            "team_id": scope.team_id,
            "livemode": scope.livemode,
            "amount": quest.reward_xp,
            "reason": "quest_completed",
            "ticket_id": None,
            "tier": None,
            "created_at": scope.stamp,
        },
    )
    member = {**member, "xp": xp, "level": level}
    player = {**player, "gold": int(player["gold"]) + quest.reward_gold}
    snapshot = player_data(member, player, scope.now)
    scope.emit(
        "player.quest_completed",
        {"player": snapshot, "quest": quest_data(quest, quest.target, scope.stamp)},
    )
    scope.emit(
        "player.xp_gained",
        {
            "player": snapshot,
            "amount": quest.reward_xp,
            "reason": "quest_completed",
            "ticket_id": None,
            "sla_tier": None,
            "multiplier": 1,
        },
    )
    if level > old_level:
        scope.emit(
            "player.level_up", {"player": snapshot, "old_level": old_level, "new_level": level}
        )


def quest_data(quest: Quest, progress: int, completed_at: str | None) -> dict[str, Any]:
    """The ``quest`` object of ``player.quest_completed`` (D11 snake_case, as in the samples)."""
    return {
        "key": quest.key,
        "name": quest.name,
        "description": quest.description,
        "period": quest.period,
        "progress": progress,
        "target": quest.target,
        "reward_xp": quest.reward_xp,
        "reward_gold": quest.reward_gold,
        "completed_at": completed_at,
    }


def listed(
    db: Database, team_id: str, livemode: bool, member: Row | None, now: float
) -> list[dict[str, Any]]:
    """``GET /game/quests``: every quest in its current period; with ``member``, their progress
    (``progress``, ``completed``, ``completedAt``; null without one)."""
    tz = timezone_of(db, team_id, livemode)
    shown = []
    for quest in QUESTS:
        period, start, end = period_of(quest, now, tz)
        row = None
        if member is not None:
            row = progress_rows(db, member["id"], {quest.key: period}).get(quest.key)
        shown.append(
            {
                "object": "quest",
                "key": quest.key,
                "name": quest.name,
                "description": quest.description,
                "period": quest.period,
                "periodKey": period,
                "periodStart": iso(start.timestamp()),
                "periodEnd": iso(end.timestamp()),
                "memberId": None if member is None else ids.MEMBER + member["id"],
                "progress": None if member is None else int(row["progress"]) if row else 0,
                "target": quest.target,
                "completed": None if member is None else bool(row and row["completed_at"]),
                "completedAt": row["completed_at"] if row else None,
                "rewardXp": quest.reward_xp,
                "rewardGold": quest.reward_gold,
            }
        )
    return shown
