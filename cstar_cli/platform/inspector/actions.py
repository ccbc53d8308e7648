"""The inspector's buttons: each is one REST API call, made with the session's key.

``POST /inspector/call/<team-relative API path>`` sends the JSON body to that API path through
the whole platform (gateway, idempotency, the request log) and answers with the API's own status
and body — so a test, ``curl`` or ``cstar`` can make exactly the same call. Only the calls the
pages offer are allowed: Resend (``events/{id}/resend``) and the test clock (``advance``,
``reset``). ``POST /inspector/logout`` ends the session. All need the session token
(``X-Inspector-Token``) and refuse another ``Origin``.

``POST /inspector/session`` ``{"link": "<one-time token>"}`` is how a page opened with a link
starts its session (D48): it answers the session token (kept in the page's ``localStorage``) and
when it ends. A link works once.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from cstar_cli.platform.inspector.sessions import InspectorRefused
from cstar_cli.platform.inspector.web import (
    SECURITY_HEADERS,
    check_write,
    client_for,
    own_origin,
    problem,
    sessions_of,
)
from cstar_cli.wire.times import iso

router = APIRouter(include_in_schema=False)
ALLOWED = (
    re.compile(r"^events/[A-Za-z0-9_]{1,200}/resend$"),
    re.compile(r"^test-helpers/clock/(advance|reset)$"),
)
MAX_BODY = 64 * 1024


@router.post("/inspector/call/{path:path}")
async def call(request: Request, path: str) -> Response:
    session = check_write(request)
    if isinstance(session, Response):
        return session
    if not any(pattern.match(path) for pattern in ALLOWED):
        return problem(404, "not_an_inspector_action", f"The inspector does not call {path}.")
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        body = None
    if len(raw) > MAX_BODY or not isinstance(body, dict):
        return problem(400, "invalid_json", "Send a JSON object (at most 64 KiB).")
    answer = await client_for(request, session).send("POST", path, body)
    return JSONResponse(answer.body, status_code=answer.status, headers=SECURITY_HEADERS)


@router.post("/inspector/logout")
async def logout(request: Request) -> Response:
    session = check_write(request)
    if isinstance(session, Response):
        return session
    sessions_of(request).end(session.id, "logout")
    return JSONResponse({"success": True}, headers=SECURITY_HEADERS)


@router.post("/inspector/session")
async def start_session(request: Request) -> Response:
    """Trade a link's one-time token for a session token (D48)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        return problem(403, "origin_refused", "Inspector links are opened in the inspector.")
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return problem(400, "invalid_json", 'Send {"link": "<the token of an inspector link>"}.')
    link = body.get("link")
    if not isinstance(link, str) or not link or len(link) > 200:
        return problem(401, "link_required", "Open the inspector with a link: `cstar open`.")
    try:
        session = sessions_of(request).redeem(link)
    except InspectorRefused as err:
        return problem(401, err.reason, err.message)
    data = {
        "object": "inspector_session",
        "token": session.id,
        "environment": session.principal.environment,
        "expiresAt": iso(session.expires_at),
    }
    return JSONResponse({"success": True, "data": data}, status_code=201, headers=SECURITY_HEADERS)
