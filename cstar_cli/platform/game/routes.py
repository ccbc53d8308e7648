"""``/game/*`` (D22) and ``/sla/rules`` (facts §3.10), each on its router (its tag): parse, call
:class:`.service.Game` or :class:`.sla_rules.SlaRules`, answer. The test clock is in
:mod:`cstar_cli.platform.testhelpers`."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.game.models import (
    BossStatus,
    HighFiveCreate,
    OneUpCreate,
    SlaRuleCreate,
    SlaRuleUpdate,
)
from cstar_cli.platform.game.service import Game
from cstar_cli.platform.game.sla_rules import SlaRules
from cstar_cli.platform.game.social import Social
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.wire.enums import Priority

router = APIRouter(tags=["game"])
sla_router = APIRouter(tags=["sla"])
rules = ItemRoutes(sla_router, SlaRules, "/sla/rules", "ruleId")

USER_ID_HELP = "The player: a member id (mem_...), a user id (usr_...) or a bare UUID."


async def _pages(page: int = common.PAGE, pageSize: int = common.PAGE_SIZE) -> common.Paging:
    return common.Paging(page, pageSize, None)


# -- the game ------------------------------------------------------------------------------------
@router.get("/game/player", summary="Get a player's game stats", openapi_extra=PUBLIC)
async def get_player(
    request: Request,
    userId: str | None = Query(None, description=USER_ID_HELP),
) -> Response:
    return responses.ok(request, Game(common.caller_of(request)).player(userId))


@router.get("/game/leaderboard", summary="Rank the team's players", openapi_extra=PUBLIC)
async def leaderboard(
    request: Request,
    paging: common.Paging = Depends(_pages),
    period: Literal["season", "week"] = Query(
        "season", description="season (this quarter) or week (since Monday 00:00 UTC)."
    ),
) -> Response:
    return responses.paged(request, Game(common.caller_of(request)).leaderboard(paging, period))


@router.get("/game/bosses", summary="List SLA bosses, active and past", openapi_extra=PUBLIC)
async def list_bosses(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    status: BossStatus | None = Query(None, description="active, defeated or escaped."),
) -> Response:
    return responses.paged(request, Game(common.caller_of(request)).bosses(paging, status))


@router.get("/game/bosses/{bossId}", summary="Get an SLA boss", openapi_extra=PUBLIC)
async def get_boss(request: Request, bossId: str) -> Response:
    return responses.ok(request, Game(common.caller_of(request)).boss(bossId))


@router.get("/game/achievements", summary="List achievements", openapi_extra=PUBLIC)
async def list_achievements(
    request: Request,
    userId: str | None = Query(None, description=USER_ID_HELP + " Adds unlocked/unlockedAt."),
) -> Response:
    return responses.plain_list(request, Game(common.caller_of(request)).achievements(userId))


@router.get("/game/quests", summary="List daily and weekly quests", openapi_extra=PUBLIC)
async def list_quests(
    request: Request,
    memberId: str | None = Query(
        None, description="The member whose progress to show (mem_..., usr_... or a UUID)."
    ),
) -> Response:
    return responses.plain_list(request, Game(common.caller_of(request)).quests(memberId))


@router.post("/game/social/high-fives", status_code=201, summary="High-five a teammate")
async def high_five(request: Request, body: HighFiveCreate) -> Response:
    sent = Social(common.caller_of(request)).high_five(body)
    return responses.ok(request, sent, status=201)


@router.post("/game/social/one-ups", status_code=201, summary="One-up a teammate")
async def one_up(request: Request, body: OneUpCreate) -> Response:
    return responses.ok(request, Social(common.caller_of(request)).one_up(body), status=201)


# -- SLA rules -----------------------------------------------------------------------------------
rules.list("list_rules", "List SLA rules", filters={"priority": Priority})
rules.create("create_rule", SlaRuleCreate, "Create an SLA rule")
rules.get("get_rule", "Get an SLA rule")
rules.update("update_rule", SlaRuleUpdate, "Update an SLA rule")
rules.delete("delete_rule", "Delete an SLA rule")
