"""``/game/*`` (D22) and ``/sla/rules`` (facts §3.10); the test clock is in :mod:`.clock_routes`."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.game import rules, views
from cstar_cli.platform.game.models import BossStatus, SlaRuleCreate, SlaRuleUpdate
from cstar_cli.platform.game.sla import RULE_PREFIX, ensure_default_rules
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.enums import Priority
from cstar_cli.wire.times import iso, parse_iso

router = APIRouter()

RULE_SORT = common.sortable("created_at", "priority", "name")
BOSS_SORT = common.sortable("spawned_at")
USER_ID_HELP = "The player: a member id (mem_...), a user id (usr_...) or a bare UUID."


def _now(platform: Platform, principal: Principal) -> float:
    return platform.now(principal.team_id, principal.livemode)


def _pages(page: int = common.PAGE, pageSize: int = common.PAGE_SIZE) -> common.PageParams:
    return common.PageParams(page, pageSize, None)


# -- players -------------------------------------------------------------------------------------
def _identity(member: Row) -> dict[str, Any]:
    """Who a player is, as their stats and the leaderboard show it."""
    return {
        "memberId": ids.MEMBER + member["id"],
        "userId": ids.USER + member["user_id"],
        **common.columns(member, "name", "avatar_url"),
    }


def _find_member(platform: Platform, principal: Principal, value: str) -> Row:
    """A member of the caller's team+environment by ``mem_``/``usr_`` id or bare UUID."""
    if value.startswith(ids.USER):
        columns = ["user_id"]
        hex_id = ids.parse(value, ids.USER, "userId")
    elif value.startswith(ids.MEMBER):
        columns = ["id"]
        hex_id = ids.parse(value, ids.MEMBER, "userId")
    else:
        columns = ["id", "user_id"]
        hex_id = ids.parse(value, ids.MEMBER, "userId")
    for column in columns:
        row = platform.db.one(
            f"SELECT * FROM members WHERE {column} = ? AND team_id = ? AND livemode = ?",
            (hex_id, principal.team_id, int(principal.livemode)),
        )
        if row is not None:
            return row
    raise ApiError.not_found("player", value)


def player_stats(platform: Platform, principal: Principal, member: Row) -> dict[str, Any]:
    now = _now(platform, principal)
    db = platform.db
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
        **_identity(member),
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
            "questsCompleted": 0,
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


@router.get(
    "/game/player", tags=["game"], summary="Get a player's game stats", openapi_extra=PUBLIC
)
async def get_player(
    request: Request,
    userId: str | None = Query(None, description=USER_ID_HELP),
) -> Response:
    platform, principal = common.caller(request)
    if not userId:
        raise ApiError.missing("userId", "The 'userId' query parameter is required.")
    member = _find_member(platform, principal, userId)
    return responses.ok(request, player_stats(platform, principal, member))


@router.get(
    "/game/leaderboard", tags=["game"], summary="Rank the team's players", openapi_extra=PUBLIC
)
async def leaderboard(
    request: Request,
    paging: common.PageParams = Depends(_pages),
    period: Literal["season", "week"] = Query(
        "season", description="season (this quarter) or week (since Monday 00:00 UTC)."
    ),
) -> Response:
    platform, principal = common.caller(request)
    now = _now(platform, principal)
    start = rules.season_of(now)[2] if period == "season" else rules.week_start(now)
    since = iso(start)
    rows = platform.db.all(
        """
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
        """,
        (since, since, since, since, principal.team_id, int(principal.livemode)),
    )
    today = rules.day_of(now)
    entries = [
        {
            "object": "leaderboard_entry",
            "rank": rank,
            "period": period,
            "periodStart": since,
            **_identity(row),
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
    return responses.listing(request, page, paging.page, paging.page_size, len(entries))


def serialize_boss(platform: Platform, boss: Row, now: float) -> dict[str, Any]:
    time_left = None
    if boss["status"] == "active" and boss["expires_at"]:
        time_left = max(0, int(parse_iso(boss["expires_at"]) - now))
    return {
        "id": boss["id"],
        "object": "boss",
        **common.columns(boss, "name", "status", "hp", "max_hp"),
        "ticketIds": views.boss_ticket_ids(platform.db, boss["id"]),
        **common.columns(boss, "spawned_at", "expires_at"),
        "timeLeftSeconds": time_left,
        **common.columns(boss, "defeated_at", "escaped_at"),
        "finalBlowBy": ids.wire(ids.MEMBER, boss["final_blow_member"]),
        "teamCredit": bool(boss["team_credit"]),
    }


@router.get(
    "/game/bosses", tags=["game"], summary="List SLA bosses, active and past", openapi_extra=PUBLIC
)
async def list_bosses(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    status: BossStatus | None = Query(None, description="active, defeated or escaped."),
) -> Response:
    platform, principal = common.caller(request)
    now = _now(platform, principal)
    where = common.Where(principal)
    where.equals("status", status)
    return common.list_response(
        request,
        "bosses",
        where,
        paging,
        BOSS_SORT,
        lambda row: serialize_boss(platform, row, now),
        default_sort="-spawnedAt",
    )


@router.get("/game/achievements", tags=["game"], summary="List achievements", openapi_extra=PUBLIC)
async def list_achievements(
    request: Request,
    userId: str | None = Query(None, description=USER_ID_HELP + " Adds unlocked/unlockedAt."),
) -> Response:
    platform, principal = common.caller(request)
    member = _find_member(platform, principal, userId) if userId else None
    counts = {
        r["key"]: int(r["n"])
        for r in platform.db.all(
            "SELECT key, COUNT(*) AS n FROM game_achievements "
            "WHERE team_id = ? AND livemode = ? GROUP BY key",
            (principal.team_id, int(principal.livemode)),
        )
    }
    mine: dict[str, str] = {}
    if member is not None:
        mine = {
            r["key"]: r["unlocked_at"]
            for r in platform.db.all(
                "SELECT key, unlocked_at FROM game_achievements WHERE member_id = ?",
                (member["id"],),
            )
        }
    data = [
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
    return responses.plain_list(request, data)


# -- SLA rules -----------------------------------------------------------------------------------
def serialize_rule(row: Row) -> dict[str, Any]:
    return {
        "id": RULE_PREFIX + row["id"],
        "object": "sla_rule",
        **common.columns(row, "name", "priority", "response_target", "resolution_target"),
        "businessHoursOnly": bool(row["business_hours_only"]),
        "enabled": bool(row["enabled"]),
        **common.columns(row, "created_at", "updated_at"),
    }


def _with_default_rules(platform: Platform, principal: Principal) -> None:
    """The D20 default rules exist before any rule is read or added."""
    ensure_default_rules(
        platform.db, principal.team_id, principal.livemode, _now(platform, principal)
    )


def _load_rule(platform: Platform, principal: Principal, rule_id: str) -> Row:
    _with_default_rules(platform, principal)
    return common.load_scoped(platform, principal, "sla_rules", RULE_PREFIX, "ruleId", rule_id)


def _check_targets(response: int, resolution: int) -> None:
    if response > resolution:
        raise ApiError.invalid(
            "responseTarget cannot be longer than resolutionTarget.", param="responseTarget"
        )


@router.get("/sla/rules", tags=["sla"], summary="List SLA rules")
async def list_rules(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    priority: Priority | None = Query(None),
) -> Response:
    platform, principal = common.caller(request)
    _with_default_rules(platform, principal)
    where = common.Where(principal)
    where.equals("priority", priority)
    return common.list_response(
        request, "sla_rules", where, paging, RULE_SORT, serialize_rule, default_sort="createdAt"
    )


@router.post("/sla/rules", status_code=201, tags=["sla"], summary="Create an SLA rule")
async def create_rule(request: Request, body: SlaRuleCreate) -> Response:
    platform, principal = common.caller(request)
    _check_targets(body.responseTarget, body.resolutionTarget)
    now = _now(platform, principal)
    ensure_default_rules(platform.db, principal.team_id, principal.livemode, now)
    columns: Row = {
        "name": body.name,
        "priority": body.priority,
        "response_target": body.responseTarget,
        "resolution_target": body.resolutionTarget,
        "business_hours_only": int(body.businessHoursOnly),
        "enabled": int(body.enabled),
    }
    row = common.new_row(principal, iso(now), columns)
    with platform.db.transaction():
        platform.db.insert("sla_rules", row)
    return responses.ok(request, serialize_rule(row), status=201)


@router.get("/sla/rules/{ruleId}", tags=["sla"], summary="Get an SLA rule")
async def get_rule(request: Request, ruleId: str) -> Response:
    platform, principal = common.caller(request)
    return responses.ok(request, serialize_rule(_load_rule(platform, principal, ruleId)))


RULE_FIELDS: FieldMap = {
    "name": Column(),
    "priority": Column(),
    "responseTarget": Column(),
    "resolutionTarget": Column(),
    "businessHoursOnly": Column(kind="bool"),
    "enabled": Column(kind="bool"),
}


@router.patch("/sla/rules/{ruleId}", tags=["sla"], summary="Update an SLA rule")
async def update_rule(request: Request, ruleId: str, body: SlaRuleUpdate) -> Response:
    patch = common.Patch(request, _load_rule, ruleId)
    values = patch.values(body, RULE_FIELDS)
    merged = {**patch.row, **values}
    _check_targets(int(merged["response_target"]), int(merged["resolution_target"]))
    return patch.save("sla_rules", values, serialize_rule)


@router.delete("/sla/rules/{ruleId}", tags=["sla"], summary="Delete an SLA rule")
async def delete_rule(request: Request, ruleId: str) -> Response:
    row = _load_rule(*common.caller(request), ruleId)
    return common.delete_row(request, "sla_rules", row, RULE_PREFIX)
