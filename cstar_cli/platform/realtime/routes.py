"""``GET /realtime``: every event a key may see, live, as Server-Sent Events (D26, facts §4.6).

Each message is ``id: <event id>``, ``event: <type>`` and ``data: <the D11 payload>``; a
``: ping`` comment goes out every 15 s so proxies and clients know the stream is alive.
``events=`` takes the webhook patterns (``ticket.*,boss.defeated``). ``Last-Event-ID`` (the header
``EventSource`` sends when it reconnects, or ``?lastEventId=``) replays everything after that
event, then goes live. The key may come as ``Authorization: Bearer …`` or ``?key=``, an identity
as headers or ``?identity=&identityHash=`` (``EventSource`` cannot set headers). When the key is
revoked or expires the stream sends ``event: error`` with the error object and ends (D28).

Example::

    curl -N "$API/teams/$TEAM/realtime?events=ticket.*" -H "Authorization: Bearer $KEY"
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.realtime.service import Realtime
from cstar_cli.platform.realtime.sse import EventStream
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.webhooks.service import check_events

router = APIRouter(tags=["realtime"])


@router.get("/realtime", summary="Live events (Server-Sent Events)", openapi_extra=PUBLIC)
async def realtime(
    request: Request,
    events: str | None = Query(None, description="Event patterns, e.g. ticket.*,boss.defeated."),
    lastEventId: str | None = Query(
        None, max_length=200, description="Resume after this event (or the Last-Event-ID header)."
    ),
    key: str | None = Query(None, description="The API key, for clients that can't set headers."),
    identity: str | None = Query(None, description="X-Cstar-Identity, as a query parameter."),
    identityHash: str | None = Query(None, description="X-Cstar-Identity-Hash, likewise."),
) -> Response:
    caller = common.caller_of(request)
    patterns = check_events(events.split(",")) if events else ["*"]
    resume = request.headers.get("last-event-id") or lastEventId
    stream = Realtime(caller).open(patterns, resume)
    return EventStream(caller.platform, caller.principal, stream)
