"""``/game/*`` (D22), ``/sla/rules`` (facts §3.10) and ``/test-helpers/clock`` (D21)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.server import ids, responses
from cstar_cli.server.access import PUBLIC
from cstar_cli.server.auth import Principal
from cstar_cli.server.db import Row
from cstar_cli.server.errors import ApiError
from cstar_cli.server.game import clock, engine, rules
from cstar_cli.server.game.schemas import (
    BossStatus,
    ClockAdvance,
    SlaRuleCreate,
    SlaRuleUpdate,
)
from cstar_cli.server.game.sla import RULE_PREFIX, ensure_default_rules, ensure_scope
from cstar_cli.server.game.timer import evaluate_scope
from cstar_cli.server.platform import Platform
from cstar_cli.server.routes.common import (
    PAGE,
    PAGE_SIZE,
    PageParams,
    Where,
    fetch_page,
    order_by,
    page_params,
    platform_of,
    principal_of,
)
from cstar_cli.wire.enums import Priority
from cstar_cli.wire.times import iso, parse_iso

router = APIRouter()

RULE_SORT = {"createdAt": "created_at", "priority": "priority", "name": "name"}
BOSS_SORT = {"spawnedAt": "spawned_at"}
USER_ID_HELP = "The player: a member id (mem_...), a user id (usr_...) or a bare UUID."


def _now(platform: Platform, principal: Principal) -> float:
    return platform.now(principal.team_id, principal.livemode)


def _pages(page: int = PAGE, pageSize: int = PAGE_SIZE) -> PageParams:
    return PageParams(page, pageSize, None)


# -- players -------------------------------------------------------------------------------------
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
    player = engine.read_player(db, member)
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
        "memberId": ids.MEMBER + member["id"],
        "userId": ids.USER + member["user_id"],
        "name": member["name"],
        "avatarUrl": member["avatar_url"],
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
    platform, principal = platform_of(request), principal_of(request)
    if not userId:
        raise ApiError.missing("userId", "The 'userId' query parameter is required.")
    member = _find_member(platform, principal, userId)
    return responses.ok(request, player_stats(platform, principal, member))


@router.get(
    "/game/leaderboard", tags=["game"], summary="Rank the team's players", openapi_extra=PUBLIC
)
async def leaderboard(
    request: Request,
    paging: PageParams = Depends(_pages),
    period: Literal["season", "week"] = Query(
        "season", description="season (this quarter) or week (since Monday 00:00 UTC)."
    ),
) -> Response:
    platform, principal = platform_of(request), principal_of(request)
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
            "memberId": ids.MEMBER + row["id"],
            "userId": ids.USER + row["user_id"],
            "name": row["name"],
            "avatarUrl": row["avatar_url"],
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
    final = boss["final_blow_member"]
    return {
        "id": boss["id"],
        "object": "boss",
        "name": boss["name"],
        "status": boss["status"],
        "hp": boss["hp"],
        "maxHp": boss["max_hp"],
        "ticketIds": engine.boss_ticket_ids(platform.db, boss["id"]),
        "spawnedAt": boss["spawned_at"],
        "expiresAt": boss["expires_at"],
        "timeLeftSeconds": time_left,
        "defeatedAt": boss["defeated_at"],
        "escapedAt": boss["escaped_at"],
        "finalBlowBy": ids.wire(ids.MEMBER, final),
        "teamCredit": bool(boss["team_credit"]),
    }


@router.get(
    "/game/bosses", tags=["game"], summary="List SLA bosses, active and past", openapi_extra=PUBLIC
)
async def list_bosses(
    request: Request,
    paging: PageParams = Depends(page_params),
    status: BossStatus | None = Query(None, description="active, defeated or escaped."),
) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    where = Where(principal)
    if status is not None:
        where.add("status = ?", status)
    order = order_by(paging.sort, BOSS_SORT, default="-spawnedAt")
    rows, total = fetch_page(platform, "bosses", where, order, paging)
    now = _now(platform, principal)
    data = [serialize_boss(platform, row, now) for row in rows]
    return responses.listing(request, data, paging.page, paging.page_size, total)


@router.get("/game/achievements", tags=["game"], summary="List achievements", openapi_extra=PUBLIC)
async def list_achievements(
    request: Request,
    userId: str | None = Query(None, description=USER_ID_HELP + " Adds unlocked/unlockedAt."),
) -> Response:
    platform, principal = platform_of(request), principal_of(request)
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
        "name": row["name"],
        "priority": row["priority"],
        "responseTarget": row["response_target"],
        "resolutionTarget": row["resolution_target"],
        "businessHoursOnly": bool(row["business_hours_only"]),
        "enabled": bool(row["enabled"]),
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
    }


def _load_rule(platform: Platform, principal: Principal, rule_id: str) -> Row:
    ensure_default_rules(
        platform.db, principal.team_id, principal.livemode, _now(platform, principal)
    )
    hex_id = ids.parse(rule_id, RULE_PREFIX, "ruleId")
    row = platform.db.one(
        "SELECT * FROM sla_rules WHERE id = ? AND team_id = ? AND livemode = ?",
        (hex_id, principal.team_id, int(principal.livemode)),
    )
    if row is None:
        raise ApiError.not_found("SLA rule", rule_id)
    return row


def _check_targets(response: int, resolution: int) -> None:
    if response > resolution:
        raise ApiError.invalid(
            "responseTarget cannot be longer than resolutionTarget.", param="responseTarget"
        )


@router.get("/sla/rules", tags=["sla"], summary="List SLA rules")
async def list_rules(
    request: Request,
    paging: PageParams = Depends(page_params),
    priority: Priority | None = Query(None),
) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    ensure_default_rules(
        platform.db, principal.team_id, principal.livemode, _now(platform, principal)
    )
    where = Where(principal)
    if priority is not None:
        where.add("priority = ?", priority)
    order = order_by(paging.sort, RULE_SORT, default="createdAt")
    rows, total = fetch_page(platform, "sla_rules", where, order, paging)
    data = [serialize_rule(r) for r in rows]
    return responses.listing(request, data, paging.page, paging.page_size, total)


@router.post("/sla/rules", status_code=201, tags=["sla"], summary="Create an SLA rule")
async def create_rule(request: Request, body: SlaRuleCreate) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    _check_targets(body.responseTarget, body.resolutionTarget)
    now = _now(platform, principal)
    ensure_default_rules(platform.db, principal.team_id, principal.livemode, now)
    stamp = iso(now)
    row: Row = {
        "id": ids.new_hex(),
        "team_id": principal.team_id,
        "livemode": int(principal.livemode),
        "name": body.name,
        "priority": body.priority,
        "response_target": body.responseTarget,
        "resolution_target": body.resolutionTarget,
        "business_hours_only": int(body.businessHoursOnly),
        "enabled": int(body.enabled),
        "created_at": stamp,
        "updated_at": stamp,
    }
    with platform.db.transaction():
        platform.db.insert("sla_rules", row)
    return responses.ok(request, serialize_rule(row), status=201)


@router.get("/sla/rules/{ruleId}", tags=["sla"], summary="Get an SLA rule")
async def get_rule(request: Request, ruleId: str) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    return responses.ok(request, serialize_rule(_load_rule(platform, principal, ruleId)))


@router.patch("/sla/rules/{ruleId}", tags=["sla"], summary="Update an SLA rule")
async def update_rule(request: Request, ruleId: str, body: SlaRuleUpdate) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    row = _load_rule(platform, principal, ruleId)
    for required in body.model_fields_set:
        if getattr(body, required) is None:
            raise ApiError.invalid(f"{required} cannot be null.", param=required)
    columns = {
        "name": "name",
        "priority": "priority",
        "responseTarget": "response_target",
        "resolutionTarget": "resolution_target",
        "businessHoursOnly": "business_hours_only",
        "enabled": "enabled",
    }
    values: Row = {}
    for field, column in columns.items():
        value = getattr(body, field)
        if value is not None:
            values[column] = int(value) if isinstance(value, bool) else value
    merged = {**row, **values}
    _check_targets(int(merged["response_target"]), int(merged["resolution_target"]))
    if values:
        values["updated_at"] = iso(_now(platform, principal))
        with platform.db.transaction():
            platform.db.update("sla_rules", "id", row["id"], values)
    return responses.ok(request, serialize_rule({**row, **values}))


@router.delete("/sla/rules/{ruleId}", tags=["sla"], summary="Delete an SLA rule")
async def delete_rule(request: Request, ruleId: str) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    row = _load_rule(platform, principal, ruleId)
    with platform.db.transaction():
        platform.db.execute("DELETE FROM sla_rules WHERE id = ?", (row["id"],))
    return responses.ok(request, {"id": RULE_PREFIX + row["id"], "deleted": True})


# -- test clock (D21) ----------------------------------------------------------------------------
def _test_mode_only(principal: Principal) -> None:
    if principal.livemode:
        raise ApiError.forbidden(
            "insufficient_permissions",
            "The test clock exists in test mode only; use a test key (sk_test_...). "
            "Live time cannot be moved.",
        )


def _clock(platform: Platform, principal: Principal, advanced: float) -> dict[str, Any]:
    offset = platform.now(principal.team_id, False) - platform.now()
    return {
        "object": "test_clock",
        "environment": "test",
        "now": iso(_now(platform, principal)),
        "offsetSeconds": round(offset, 3),
        "advancedBy": advanced,
    }


@router.get("/test-helpers/clock", tags=["test-helpers"], summary="Show the test clock")
async def get_clock(request: Request) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    _test_mode_only(principal)
    return responses.ok(request, _clock(platform, principal, 0))


@router.post(
    "/test-helpers/clock/advance", tags=["test-helpers"], summary="Move the test clock forward"
)
async def advance_clock(request: Request, body: ClockAdvance) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    _test_mode_only(principal)
    with platform.db.transaction():
        current = float(ensure_scope(platform.db, principal.team_id, False)["clock_offset"])
    if current + body.seconds > clock.MAX_OFFSET_SECONDS:
        raise ApiError.invalid(
            "The test clock cannot run more than ten years ahead.", param="seconds"
        )
    clock.advance(platform, principal.team_id, False, float(body.seconds))
    evaluate_scope(platform, principal.team_id, False, responses.request_id_of(request))
    return responses.ok(request, _clock(platform, principal, body.seconds))


@router.post(
    "/test-helpers/clock/reset", tags=["test-helpers"], summary="Set the test clock back to 0"
)
async def reset_clock(request: Request) -> Response:
    """The offset goes back to 0 (D21); what is already stored is not rewritten."""
    platform, principal = platform_of(request), principal_of(request)
    _test_mode_only(principal)
    with platform.db.transaction():
        current = float(ensure_scope(platform.db, principal.team_id, False)["clock_offset"])
    clock.advance(platform, principal.team_id, False, -current)
    return responses.ok(request, _clock(platform, principal, -current))
