"""``/csat/*`` (D44): settings (read by any key of the team, changed with a secret key),
surveys (listed with a secret key; answered with one, or by the ticket's own customer through a
verified identity, D18) and stats (secret key)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PORTAL, PUBLIC
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.csat.models import CsatSettingsUpdate, SurveyCreate
from cstar_cli.platform.resources.csat.service import Csat
from cstar_cli.platform.resources.table import Calls

router = APIRouter(tags=["csat"])
csat = Calls(router, Csat)
SETTINGS = "/csat/settings"


csat.get(SETTINGS, "get_settings", Csat.settings, "Get the CSAT survey settings", access=PUBLIC)
csat.patch(
    SETTINGS,
    "update_settings",
    Csat.update_settings,
    "Change the CSAT survey settings",
    body=CsatSettingsUpdate,
)


@router.get("/csat/surveys", summary="List CSAT survey answers")
async def list_surveys(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    ticketId: str | None = Query(None, max_length=64, description="Ticket id (tkt_...)."),
    rating: int | None = Query(None, ge=1, le=5),
    since: str | None = Query(None, max_length=64, description="ISO-8601 lower bound."),
) -> Response:
    page = Csat(common.caller_of(request)).list(
        paging, ticket_id=ticketId, rating=rating, since=since
    )
    return responses.paged(request, page)


@router.post(
    "/csat/surveys", status_code=201, summary="Answer a ticket's CSAT survey", openapi_extra=PORTAL
)
async def submit_survey(request: Request, body: SurveyCreate) -> Response:
    return responses.ok(request, Csat(common.caller_of(request)).submit(body), status=201)


@router.get("/csat/stats", summary="CSAT stats over a window")
async def csat_stats(
    request: Request,
    since: str | None = Query(None, max_length=64, description="ISO-8601 lower bound."),
    until: str | None = Query(None, max_length=64, description="ISO-8601 upper bound."),
) -> Response:
    return responses.ok(request, Csat(common.caller_of(request)).stats(since, until))
