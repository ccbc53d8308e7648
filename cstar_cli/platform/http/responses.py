"""The envelope (D3): every success and every error leaves the platform through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from cstar_cli.platform.encoding import dump
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.wire.times import iso


def request_id_of(request: Request) -> str:
    rid: str = request.scope.get("state", {}).get("request_id", "req_unknown")
    return rid


def _now(request: Request) -> str:
    """The response time on the caller's clock (a test-mode team may have advanced it, D21)."""
    platform = request.app.state.platform
    principal = request.scope.get("state", {}).get("principal")
    if principal is None:
        return iso(platform.now())
    return iso(platform.now(principal.team_id, principal.livemode))


def ok(request: Request, data: Any, status: int = 200) -> Response:
    """A single-object success envelope."""
    body = {
        "success": True,
        "data": data,
        "meta": {"requestId": request_id_of(request), "timestamp": _now(request)},
    }
    return Response(dump(body), status_code=status, media_type="application/json")


def listing(request: Request, data: list[Any], page: int, page_size: int, total: int) -> Response:
    """A paginated list: the pagination object both at top level and in ``meta`` (D3)."""
    total_pages = (total + page_size - 1) // page_size
    pagination = {
        "page": page,
        "pageSize": page_size,
        "total": total,
        "totalPages": total_pages,
        "hasMore": page < total_pages,
    }
    body = {
        "success": True,
        "data": data,
        "pagination": pagination,
        "meta": {
            "requestId": request_id_of(request),
            "timestamp": _now(request),
            "pagination": pagination,
        },
    }
    return Response(dump(body), media_type="application/json")


@dataclass(frozen=True)
class Page:
    """One page of a list as a service returns it: the items in wire form, and where they sit."""

    data: list[Any]
    page: int
    page_size: int
    total: int


def paged(request: Request, page: Page) -> Response:
    """A service's :class:`Page` in the list envelope (D3)."""
    return listing(request, page.data, page.page, page.page_size, page.total)


def plain_list(request: Request, data: list[Any]) -> Response:
    """A list without pagination (messages of a ticket)."""
    return ok(request, data)


def error_bytes(err: ApiError, request_id: str, timestamp: str) -> bytes:
    return dump(err.body(request_id, timestamp))


def error(request: Request, err: ApiError) -> Response:
    return Response(
        error_bytes(err, request_id_of(request), _now(request)),
        status_code=err.status,
        media_type="application/json",
        headers=err.headers,
    )
