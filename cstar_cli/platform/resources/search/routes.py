"""``GET /search?q=&types=`` (D47, facts §3.15): any key of the team; what it finds follows the
caller's scope (D23)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.search.service import Search

router = APIRouter(tags=["search"])


@router.get("/search", summary="Search tickets, customers and articles", openapi_extra=PUBLIC)
async def search(
    request: Request,
    page: int = common.PAGE,
    pageSize: int = common.PAGE_SIZE,
    q: str | None = Query(None, max_length=200, description="Text to find (required)."),
    types: str | None = Query(
        None, max_length=100, description="Comma list of tickets, customers, articles."
    ),
) -> Response:
    paging = common.Paging(page, pageSize, None)
    return responses.paged(request, Search(common.caller_of(request)).run(q, types, paging))
