"""What ``/game/*`` serves (D22): a player's stats, the leaderboard, the bosses and the
achievements of the caller's team and environment, at the caller's (possibly advanced) time."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.game import quests, rules, views
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.wire.times import iso, parse_iso

LEADERBOARD_SQL = """
        SELECT m.*,
          (SELECT COALESCE(SUM(amount), 0) FROM xp_ledger l
             WHERE l.member_id = m.id AND l.created_at >= ?) AS period_xp,
          (SELECT COUNT(*) FROM xp_ledger l
             WHERE l.member_id = m.id AND l.reason = 'ticket_closed'
             AND l.created_at >= ?) AS resolutions,
          (SELECT COUNT(DISTINCT b.id) FROM boss_tickets bt JOIN bosses b ON b.id = bt.boss_id
             WHERE bt.damaged_by = m.id AND b.status = 'defeated'
             AND b.defeated_at >= ?) AS bosses,
          (SELECT COUNT(*) FROM bosses b WHERE b.final_blow_member = m.id
             AND b.defeated_at >= ?) AS final_blows,
          p.streak_current, p.streak_last_day
        FROM members m LEFT JOIN game_players p ON p.member_id = m.id
        WHERE m.team_id = ? AND m.livemode = ?
        ORDER BY period_xp DESC, resolutions DESC, m.xp DESC, m.name, m.id
        """


def identity(member: Row) -> dict[str, Any]:
    """Who a player is, as their stats and the leaderboard show it."""
    return {
        "memberId": ids.MEMBER + member["id"],
        "userId": ids.USER + member["user_id"],
        **columns(member, "name", "avatar_url"),
    }


class Game(Service):
    """The game of the caller's team and environment; its own rows are the bosses."""

    table = "bosses"
    prefix = ids.BOSS
    param = "bossId"
    noun = "boss"
    sort_fields = sortable("spawned_at")

    # -- players -------------------------------------------------------------------------------
    def find_member(self, value: str, param: str = "userId") -> Row:
        """A member of the caller's team+environment by ``mem_``/``usr_`` id or bare UUID."""
        if value.startswith(ids.USER):
            names = ["user_id"]
            hex_id = ids.parse(value, ids.USER, param)
        elif value.startswith(ids.MEMBER):
            names = ["id"]
            hex_id = ids.parse(value, ids.MEMBER, param)
        else:
            names = ["id", "user_id"]
            hex_id = ids.parse(value, ids.MEMBER, param)
        for column in names:
            row = self.db.one(
                f"SELECT * FROM members WHERE {column} = ? AND team_id = ? AND livemode = ?",
                (hex_id, self.principal.team_id, int(self.principal.livemode)),
            )
            if row is not None:
                return row
        raise ApiError.not_found("player", value)

    def player(self, user_id: str | None) -> dict[str, Any]:
        """``GET /game/player``: the stats of the player ``user_id`` names (required)."""
        if not user_id:
            raise ApiError.missing("userId", "The 'userId' query parameter is required.")
        stats = self.player_stats(self.find_member(user_id))
        if user_id.startswith(ids.USER):  # the docs' example: memberId echoes the usr_ id asked
            stats["memberId"] = stats["userId"]
        return stats

    def player_stats(self, member: Row) -> dict[str, Any]:
        now = self.now()
        db = self.db
        player = views.read_player(db, member)
        xp = int(member["xp"])
        level = rules.progress(xp)
        season_id, season_name, _, season_end = rules.season_of(now)
        unlocked = db.one(
            "SELECT COUNT(*) AS n FROM game_achievements WHERE member_id = ?", (member["id"],)
        )
        streak = rules.visible_streak(
            player["streak_last_day"], int(player["streak_current"]), rules.day_of(now)
        )
        points = level.level - 1
        return {
            "object": "player_stats",
            **identity(member),
            "season": {"id": season_id, "name": season_name, "endsAt": iso(season_end)},
            "level": level.level,
            "xp": xp,
            "xpToNextLevel": level.xp_to_next,
            "xpInCurrentLevel": level.xp_in_level,
            "xpProgress": level.progress,
            "gold": int(player["gold"]),
            "prestigeLevel": 0,
            "prestigeBonus": 0.0,
            "streaks": {"current": streak, "max": int(player["streak_max"])},
            "stats": {
                "ticketsClosed": int(player["tickets_closed"]),
                "bossesDefeated": int(player["bosses_defeated"]),
                "finalBlows": int(player["final_blows"]),
                "achievementsUnlocked": int(unlocked["n"]) if unlocked else 0,
                "questsCompleted": quests.completed_count(db, member["id"]),
                "goldTierResolutions": int(player["gold_resolutions"]),
            },
            "skills": {
                key: {"level": 0, "maxLevel": rules.SKILL_MAX_LEVEL, "effect": effect}
                for key, effect in rules.SKILLS.items()
            },
            "availableSkillPoints": points,
            "totalSkillPoints": points,
            "cosmetics": {"avatarFrame": None, "victoryMessage": None},
        }

    def leaderboard(self, paging: Paging, period: str) -> Page:
        """``GET /game/leaderboard``: the team's players ranked by XP earned this ``period``
        (``season`` or ``week``)."""
        now = self.now()
        start = rules.season_of(now)[2] if period == "season" else rules.week_start(now)
        since = iso(start)
        rows = self.db.all(
            LEADERBOARD_SQL,
            (since, since, since, since, self.principal.team_id, int(self.principal.livemode)),
        )
        today = rules.day_of(now)
        entries = [
            {
                "object": "leaderboard_entry",
                "rank": rank,
                "period": period,
                "periodStart": since,
                **identity(row),
                "level": rules.level_for_xp(int(row["xp"])),
                "xp": int(row["period_xp"]),
                "totalXp": int(row["xp"]),
                "resolutions": int(row["resolutions"]),
                "bossesDefeated": int(row["bosses"]),
                "finalBlows": int(row["final_blows"]),
                "streak": rules.visible_streak(
                    row["streak_last_day"], int(row["streak_current"] or 0), today
                ),
            }
            for rank, row in enumerate(rows, start=1)
        ]
        first = (paging.page - 1) * paging.page_size
        page = entries[first : first + paging.page_size]
        return Page(page, paging.page, paging.page_size, len(entries))

    # -- bosses --------------------------------------------------------------------------------
    def show_boss(self, boss: Row, now: float) -> dict[str, Any]:
        time_left = None
        if boss["status"] == "active" and boss["expires_at"]:
            time_left = max(0, int(parse_iso(boss["expires_at"]) - now))
        return {
            "id": ids.BOSS + boss["id"],
            "object": "boss",
            **columns(boss, "name", "status", "hp", "max_hp"),
            "ticketIds": views.boss_ticket_ids(self.db, boss["id"]),
            **columns(boss, "spawned_at", "expires_at"),
            "timeLeftSeconds": time_left,
            **columns(boss, "defeated_at", "escaped_at"),
            "finalBlowBy": ids.wire(ids.MEMBER, boss["final_blow_member"]),
            "teamCredit": bool(boss["team_credit"]),
        }

    def bosses(self, paging: Paging, status: str | None) -> Page:
        """``GET /game/bosses``: the bosses, active and past, newest first by default."""
        now = self.now()
        where = self.where()
        where.equals("status", status)
        return self.page(
            where, paging, lambda row: self.show_boss(row, now), default_sort="-spawnedAt"
        )

    def boss(self, boss_id: str) -> dict[str, Any]:
        """``GET /game/bosses/{bossId}``: one boss, by ``bos_`` id or bare UUID (D2)."""
        return self.show_boss(self.load(boss_id), self.now())

    # -- achievements --------------------------------------------------------------------------
    def achievements(self, user_id: str | None) -> list[dict[str, Any]]:
        """``GET /game/achievements``: every achievement with how many players unlocked it;
        with ``user_id``, whether (and when) that player did."""
        member = self.find_member(user_id) if user_id else None
        counts = {
            r["key"]: int(r["n"])
            for r in self.db.all(
                "SELECT key, COUNT(*) AS n FROM game_achievements "
                "WHERE team_id = ? AND livemode = ? GROUP BY key",
                (self.principal.team_id, int(self.principal.livemode)),
            )
        }
        mine: dict[str, str] = {}
        if member is not None:
            mine = {
                r["key"]: r["unlocked_at"]
                for r in self.db.all(
                    "SELECT key, unlocked_at FROM game_achievements WHERE member_id = ?",
                    (member["id"],),
                )
            }
        return [
            {
                "object": "achievement",
                "key": a.key,
                "name": a.name,
                "description": a.description,
                "unlockedCount": counts.get(a.key, 0),
                "unlocked": None if member is None else a.key in mine,
                "unlockedAt": mine.get(a.key),
            }
            for a in rules.ACHIEVEMENTS
        ]

    # -- quests (D46) --------------------------------------------------------------------------
    def quests(self, member_id: str | None) -> list[dict[str, Any]]:
        """``GET /game/quests``: the daily and weekly quests in their current periods (team time
        zone, team clock); with ``member_id``, that member's progress."""
        member = self.find_member(member_id, "memberId") if member_id else None
        principal = self.principal
        return quests.listed(self.db, principal.team_id, principal.livemode, member, self.now())
