"""``/test-helpers/*`` (test mode only): the test clock (D21) — show, advance, reset — and the
reset of the whole test environment (D33). Each route parses, calls its helper's service and
answers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.game.models import ClockAdvance
from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.testhelpers.clock import Clock
from cstar_cli.platform.testhelpers.reset import Reset

router = APIRouter()


# -- the test clock ------------------------------------------------------------------------------
@router.get("/test-helpers/clock", tags=["test-helpers"], summary="Show the test clock")
async def get_clock(request: Request) -> Response:
    return responses.ok(request, Clock(common.caller_of(request)).show())


@router.post(
    "/test-helpers/clock/advance", tags=["test-helpers"], summary="Move the test clock forward"
)
async def advance_clock(request: Request, body: ClockAdvance) -> Response:
    return responses.ok(request, await Clock(common.caller_of(request)).advance(body.seconds))


@router.post(
    "/test-helpers/clock/reset", tags=["test-helpers"], summary="Set the test clock back to 0"
)
async def reset_clock(request: Request) -> Response:
    return responses.ok(request, Clock(common.caller_of(request)).reset())


# -- the whole test environment ------------------------------------------------------------------
@router.post(
    "/test-helpers/reset",
    tags=["test-helpers"],
    summary="Clear the test environment",
    description="Deletes all of the test environment's data; keeps the team, the seed members "
    "and the four seed keys (restored to active), and sets the test clock back to 0 (D33).",
)
async def reset(request: Request) -> Response:
    return responses.ok(request, Reset(common.caller_of(request)).run())
