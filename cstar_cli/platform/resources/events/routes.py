"""The events API (D10): every event as delivered, its delivery attempts, and resend."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.events.models import EventResend
from cstar_cli.platform.resources.events.service import Events

router = APIRouter(tags=["events"])


@router.get("/events", summary="List events, newest first")
async def list_events(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    type: str | None = Query(None, description="An event type or pattern (ticket.*)."),
    since: str | None = Query(None, description="ISO-8601: events at or after this time."),
    until: str | None = Query(None, description="ISO-8601: events before this time."),
    origin: str | None = Query(
        None, description="Where events came from (D39): action, synthetic or replay."
    ),
) -> Response:
    events = Events(common.caller_of(request))
    page = events.list(paging, type=type, since=since, until=until, origin=origin)
    return responses.paged(request, page)


@router.get("/events/{eventId}", summary="Get an event with its delivery attempts")
async def get_event(request: Request, eventId: str) -> Response:
    return responses.ok(request, Events(common.caller_of(request)).get(eventId))


@router.post(
    "/events/{eventId}/resend",
    summary="Deliver an event again, or replay it with edited data (D39)",
)
async def resend_event(request: Request, eventId: str, body: EventResend | None = None) -> Response:
    return responses.ok(request, Events(common.caller_of(request)).resend(eventId, body))
