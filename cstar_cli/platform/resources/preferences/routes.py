"""``/team/preferences`` and ``/members/{memberId}/preferences`` (D46): secret keys only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.preferences.models import (
    MemberPreferencesUpdate,
    TeamPreferencesUpdate,
)
from cstar_cli.platform.resources.preferences.service import Preferences

router = APIRouter(tags=["preferences"])


@router.get("/team/preferences", summary="Get the team's preferences")
async def get_team_preferences(request: Request) -> Response:
    return responses.ok(request, Preferences(common.caller_of(request)).team())


@router.patch("/team/preferences", summary="Update the team's preferences")
async def update_team_preferences(request: Request, body: TeamPreferencesUpdate) -> Response:
    return responses.ok(request, Preferences(common.caller_of(request)).update_team(body))


@router.get("/members/{memberId}/preferences", summary="Get a member's preferences")
async def get_member_preferences(request: Request, memberId: str) -> Response:
    return responses.ok(request, Preferences(common.caller_of(request)).member(memberId))


@router.patch("/members/{memberId}/preferences", summary="Update a member's preferences")
async def update_member_preferences(
    request: Request, memberId: str, body: MemberPreferencesUpdate
) -> Response:
    preferences = Preferences(common.caller_of(request))
    return responses.ok(request, preferences.update_member(memberId, body))
