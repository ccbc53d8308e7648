"""``/test-helpers/clock`` (D21): show, advance and reset a team's test clock (test mode only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.core import Platform
from cstar_cli.platform.game.models import ClockAdvance
from cstar_cli.platform.game.timer import evaluate_scope
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.teamclock import MAX_OFFSET_SECONDS
from cstar_cli.platform.testhelpers.guard import test_mode_only
from cstar_cli.wire.times import iso

router = APIRouter()


def _clock(platform: Platform, principal: Principal, advanced: float) -> dict[str, Any]:
    offset = platform.now(principal.team_id, False) - platform.now()
    return {
        "object": "test_clock",
        "environment": "test",
        "now": iso(platform.now(principal.team_id, principal.livemode)),
        "offsetSeconds": round(offset, 3),
        "advancedBy": advanced,
    }


@router.get("/test-helpers/clock", tags=["test-helpers"], summary="Show the test clock")
async def get_clock(request: Request) -> Response:
    platform, principal = common.caller(request)
    test_mode_only(principal)
    return responses.ok(request, _clock(platform, principal, 0))


@router.post(
    "/test-helpers/clock/advance", tags=["test-helpers"], summary="Move the test clock forward"
)
async def advance_clock(request: Request, body: ClockAdvance) -> Response:
    platform, principal = common.caller(request)
    test_mode_only(principal)
    current = platform.test_clock.offset(principal.team_id, False)
    if current + body.seconds > MAX_OFFSET_SECONDS:
        raise ApiError.invalid(
            "The test clock cannot run more than ten years ahead.", param="seconds"
        )
    platform.test_clock.advance(principal.team_id, False, float(body.seconds))
    evaluate_scope(platform, principal.team_id, False, responses.request_id_of(request))
    return responses.ok(request, _clock(platform, principal, body.seconds))


@router.post(
    "/test-helpers/clock/reset", tags=["test-helpers"], summary="Set the test clock back to 0"
)
async def reset_clock(request: Request) -> Response:
    platform, principal = common.caller(request)
    test_mode_only(principal)
    before = platform.test_clock.offset(principal.team_id, False)
    platform.test_clock.set(principal.team_id, False, 0.0)
    return responses.ok(request, _clock(platform, principal, -before))
