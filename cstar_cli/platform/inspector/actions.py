"""The inspector's buttons: each is one REST API call, made with the session's key.

``POST /inspector/call/<team-relative API path>`` sends the JSON body to that API path through
the whole platform (gateway, idempotency, the request log) and answers with the API's own status
and body — so a test, ``curl`` or ``cstar`` can make exactly the same call. Only the calls the
pages offer are allowed: Resend (``events/{id}/resend``) and the test clock (``advance``,
``reset``). ``POST /inspector/logout`` ends the session. All need the CSRF token and Origin.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from cstar_cli.platform.inspector.web import (
    SECURITY_HEADERS,
    check_write,
    client_for,
    cookie_name,
    sessions_of,
)

router = APIRouter(include_in_schema=False)
ALLOWED = (
    re.compile(r"^events/[A-Za-z0-9_]{1,200}/resend$"),
    re.compile(r"^test-helpers/clock/(advance|reset)$"),
)
MAX_BODY = 64 * 1024


def _problem(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"success": False, "error": {"code": code, "message": message}},
        status_code=status,
        headers=SECURITY_HEADERS,
    )


@router.post("/inspector/call/{path:path}")
async def call(request: Request, path: str) -> Response:
    session = check_write(request)
    if isinstance(session, Response):
        return session
    if not any(pattern.match(path) for pattern in ALLOWED):
        return _problem(404, "not_an_inspector_action", f"The inspector does not call {path}.")
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        body = None
    if len(raw) > MAX_BODY or not isinstance(body, dict):
        return _problem(400, "invalid_json", "Send a JSON object (at most 64 KiB).")
    answer = await client_for(request, session).send("POST", path, body)
    return JSONResponse(answer.body, status_code=answer.status, headers=SECURITY_HEADERS)


@router.post("/inspector/logout")
async def logout(request: Request) -> Response:
    session = check_write(request)
    if isinstance(session, Response):
        return session
    sessions_of(request).end(session.id, "logout")
    response = JSONResponse({"success": True}, headers=SECURITY_HEADERS)
    response.delete_cookie(cookie_name(request), path="/", httponly=True, samesite="strict")
    return response
