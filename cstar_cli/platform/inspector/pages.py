"""The inspector's pages (D31, D48): events, an event, listen sessions, webhooks, logs, the game,
the test clock, a ticket and the audit log — each a view over the REST API, for the session's key
only.

Each page is two routes: the page itself (``/logs``), a shell that is the same for everyone and
holds no data, and its view (``/inspector/view/logs``), the HTML fragment the shell's script
fetches with the session token (``web.authorized``). ``GET /inspector/live`` is the live stream.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.inspector import views, views_reports
from cstar_cli.platform.inspector.client import ApiClient, ApiFailure
from cstar_cli.platform.inspector.live import LiveStream
from cstar_cli.platform.inspector.sessions import Session
from cstar_cli.platform.inspector.web import VIEW_PREFIX, authorized, client_for, render

log = logging.getLogger("cstar.platform.inspector")
router = APIRouter(include_in_schema=False)
INTERNAL = {
    "code": "internal_error",
    "message": "The inspector hit an internal error (see the log).",
}
Gather = Callable[[ApiClient], Awaitable[dict[str, Any]]]
Listing = Callable[[ApiClient, int, dict[str, str | None]], Awaitable[dict[str, Any]]]
Endpoint = Callable[[Request], Awaitable[Response]]
EVENT_FILTERS = ("type", "since", "until")
PERIODS = ("season", "week")


async def _page(request: Request, template: str, view: str, gather: Gather) -> Response:
    opened = authorized(request)
    if not isinstance(opened, Session):
        return opened
    client = client_for(request, opened)
    platform = request.app.state.platform
    principal = opened.principal
    offset = platform.now(principal.team_id, principal.livemode) - platform.now()
    context: dict[str, Any] = {"view": view, "clock_offset": round(offset, 3)}
    try:
        if opened.whoami is None:
            opened.whoami = (await client.get("/api/v1/auth/whoami")).data
        context.update(await gather(client))
        return render(request, template, context, session=opened)
    except ApiFailure as err:
        context.update(error=err.error, status=err.status)
        return render(request, "problem.html", context, session=opened, status=err.status)
    except Exception:  # a page never answers with a traceback, or not at all
        log.exception("inspector page %s failed", request.url.path)
        context.update(error=INTERNAL, status=500)
        return render(request, "problem.html", context, session=opened, status=500)


def _number(request: Request, name: str = "page", default: int = 1) -> int:
    try:
        return max(1, min(10_000, int(request.query_params.get(name, default))))
    except ValueError:
        return default


def _filters(request: Request, names: tuple[str, ...]) -> dict[str, str | None]:
    return {name: (request.query_params.get(name) or "").strip() or None for name in names}


@router.get(VIEW_PREFIX + "/")
async def events_page(request: Request) -> Response:
    """Events, newest first, with their delivery state; filters ``type``, ``since``, ``until``."""
    platform = request.app.state.platform
    page, filters = _number(request), _filters(request, EVENT_FILTERS)

    async def gather(client: ApiClient) -> dict[str, Any]:
        try:
            found = await views.events(client, platform, page, filters)
        except ApiFailure as err:
            if err.status != 400:
                raise
            found = {"events": [], "pagination": {}, "filters": filters, "pending": False}
            return {"problem": err.error, "types": views.event_types(), **found}
        return {"problem": None, "types": views.event_types(), **found}

    return await _page(request, "events.html", "events", gather)


@router.get(VIEW_PREFIX + "/events/{eventId}")
async def event_page(request: Request, eventId: str) -> Response:
    return await _page(request, "event.html", "event", lambda client: views.event(client, eventId))


@router.get(VIEW_PREFIX + "/game")
async def game_page(request: Request) -> Response:
    period = request.query_params.get("period", "season")
    period = period if period in PERIODS else "season"
    return await _page(request, "game.html", "game", lambda client: views.game(client, period))


@router.get(VIEW_PREFIX + "/tickets/{ticketId}")
async def ticket_page(request: Request, ticketId: str) -> Response:
    """The stable page a local ``dashboard_url`` points at."""
    return await _page(
        request, "ticket.html", "ticket", lambda client: views.ticket(client, ticketId)
    )


@router.get(VIEW_PREFIX + "/community")
async def community_page(request: Request) -> Response:
    """The community (D43): posts by ``sort`` (votes, recent, comments) and the topics."""
    sort = request.query_params.get("sort", "votes")
    sort = sort if sort in views_reports.POST_SORTS else "votes"
    return await _page(
        request,
        "community.html",
        "community",
        lambda client: views_reports.community(client, sort),
    )


def _plain(template: str, view: str, gather: Gather) -> Endpoint:
    """A page whose view takes nothing from the request."""

    async def page(request: Request) -> Response:
        return await _page(request, template, view, gather)

    return page


def _listing(template: str, view: str, names: tuple[str, ...], gather: Listing) -> Endpoint:
    """A page of a list, newest first: ``?page=`` and the filters ``names``."""

    async def page(request: Request) -> Response:
        number, filters = _number(request), _filters(request, names)
        return await _page(request, template, view, lambda client: gather(client, number, filters))

    return page


PAGES = {
    "/listen": _plain("sessions.html", "listen", views.sessions),
    "/webhooks": _plain("webhooks.html", "webhooks", views.webhooks),
    "/logs": _listing("logs.html", "logs", views.LOG_FILTERS, views.logs),
    "/clock": _plain("clock.html", "clock", views.clock),
    "/audit": _listing("audit.html", "audit", views.AUDIT_FILTERS, views.audit),
    "/csat": _plain("csat.html", "csat", views_reports.csat),
}
"""The views that need no code of their own: listen sessions, webhooks, the request log, the
test clock, the audit log (D42: every write, who made it and from where) and CSAT (D44: the
settings, the stats and the latest answers; the SLA metrics, D45)."""
for _path, _endpoint in PAGES.items():
    router.add_api_route(VIEW_PREFIX + _path, _endpoint, methods=["GET"])


@router.get("/inspector/live")
async def live(request: Request) -> Response:
    """The live stream: ``EventSource`` sends no headers, so the token comes as ``?token=``."""
    opened = authorized(request, in_query=True)
    if not isinstance(opened, Session):
        return opened
    return LiveStream(request.app.state.platform, opened)


SHELLS = {
    "/": "events",
    "/events/{eventId}": "event",
    "/listen": "listen",
    "/webhooks": "webhooks",
    "/logs": "logs",
    "/game": "game",
    "/clock": "clock",
    "/tickets/{ticketId}": "ticket",
    "/community": "community",
    "/csat": "csat",
    "/audit": "audit",
}
"""Each page's address and its view's name (what the shell's script asks for and refreshes)."""


async def shell(request: Request) -> Response:
    """A page before its data: the same HTML whoever asks, cookie or not (D48)."""
    view = SHELLS[request.scope["route"].path]
    return render(request, "shell.html", {"view": view})


for _path in SHELLS:
    router.add_api_route(_path, shell, methods=["GET"], include_in_schema=False)
