"""How the game shows its members, players and bosses on the wire (D22)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.game import rules
from cstar_cli.platform.resources.service import stored
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.query import stored_or


def member_data(member: Row | None) -> dict[str, Any] | None:
    if member is None:
        return None
    return {
        "member_id": ids.MEMBER + member["id"],
        "name": member["name"],
        "email": member["email"],
        "role": member["role"],
    }


def load_player(db: Database, member: Row) -> Row:
    db.execute(
        "INSERT OR IGNORE INTO game_players (member_id, team_id, livemode) VALUES (?, ?, ?)",
        (member["id"], member["team_id"], member["livemode"]),
    )
    row = db.one("SELECT * FROM game_players WHERE member_id = ?", (member["id"],))
    assert row is not None
    return row


def read_player(db: Database, member: Row) -> Row:
    """The player row without creating one (defaults for a member who never played)."""
    defaults = {
        "member_id": member["id"],
        "gold": 0,
        "streak_current": 0,
        "streak_max": 0,
        "streak_last_day": None,
        "tickets_closed": 0,
        "gold_resolutions": 0,
        "bosses_defeated": 0,
        "final_blows": 0,
    }
    return stored_or(db, "game_players", "member_id = ?", (member["id"],), defaults)


def player_data(member: Row, player: Row, now: float) -> dict[str, Any]:
    """The ``player`` object of ``player.*`` events (D11 snake_case, as in the catalogue)."""
    level = rules.progress(int(member["xp"]))
    streak = rules.visible_streak(
        player["streak_last_day"], int(player["streak_current"]), rules.day_of(now)
    )
    return {
        "member_id": ids.MEMBER + member["id"],
        "name": member["name"],
        "level": level.level,
        "xp": int(member["xp"]),
        "xp_to_next_level": level.xp_to_next,
        "gold": int(player["gold"]),
        "season": rules.season_of(now)[0],
        "streak": {"current": streak, "max": int(player["streak_max"])},
    }


def boss_ticket_ids(db: Database, boss_id: str) -> list[str]:
    rows = db.all(
        "SELECT ticket_id FROM boss_tickets WHERE boss_id = ? ORDER BY position", (boss_id,)
    )
    return [ids.TICKET + r["ticket_id"] for r in rows]


def boss_data(db: Database, boss: Row) -> dict[str, Any]:
    """The ``boss`` object of ``boss.*`` events (D11 snake_case, as in the catalogue)."""
    return {
        "id": ids.BOSS + boss["id"],
        **stored(boss, "name", "status", "hp", "max_hp"),
        "ticket_ids": boss_ticket_ids(db, boss["id"]),
        **stored(boss, "spawned_at", "expires_at", "defeated_at"),
    }
