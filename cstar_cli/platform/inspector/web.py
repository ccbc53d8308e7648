"""What every inspector page shares: templates, the session token, the Origin check.

Every page is a *shell* first: the same HTML for everyone, with no data — not the team's name,
not an id. Its script then fetches the view (``/inspector/view/…``, an HTML fragment) with the
session token in ``X-Inspector-Token``; the live stream, which ``EventSource`` opens without
headers, takes it as ``?token=`` (D48). Nothing reads a cookie: a browser sends a 127.0.0.1
cookie to every port of that host, so a cookie could never say which page is asking. A custom
header is also what no other origin can send without a CORS preflight, which these routes never
answer — so the token needs no separate CSRF token. Writes also refuse an ``Origin`` other than
the platform's own. Every page forbids framing and loads nothing from another origin (CSP).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from cstar_cli.platform.inspector.client import ApiClient
from cstar_cli.platform.inspector.sessions import InspectorRefused, InspectorSessions, Session

HERE = Path(__file__).parent
STATIC_PREFIX = "/inspector/static"
TOKEN_HEADER = "x-inspector-token"  # noqa: S105 (a header name, not a secret)
VIEW_PREFIX = "/inspector/view"
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@functools.lru_cache(maxsize=1)
def templates() -> Any:
    """The Jinja environment over the package's ``templates/`` (autoescaped)."""
    import jinja2

    from cstar_cli.platform.inspector import formats

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(formats.FILTERS)
    env.globals["static"] = lambda name: f"{STATIC_PREFIX}/{name}"
    return env


def sessions_of(request: Request) -> InspectorSessions:
    store: InspectorSessions = request.app.state.platform.inspector
    return store


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    session: Session | None = None,
    status: int = 200,
) -> HTMLResponse:
    """A view (an HTML fragment for the page's ``main``, with the session's team and
    environment), or — without ``session`` — a page shell that holds no data."""
    page = {
        "request": request,
        "session": session,
        "fragment": session is not None,
        "path": request.url.path,
        **context,
    }
    html = templates().get_template(template).render(page)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def problem(status: int, code: str, message: str) -> JSONResponse:
    body = {"success": False, "error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=SECURITY_HEADERS)


def authorized(request: Request, *, in_query: bool = False) -> Session | Response:
    """The session of the request's token (``X-Inspector-Token``; ``?token=`` where
    ``in_query``, for ``EventSource``), or a 401 that holds no data. Cookies count for nothing."""
    token = request.headers.get(TOKEN_HEADER)
    if token is None and in_query:
        token = request.query_params.get("token")
    try:
        return sessions_of(request).session(token)
    except InspectorRefused as err:
        message = err.message if token else "No inspector session: open the inspector's link."
        return problem(401, "inspector_session_required", message)


def check_write(request: Request) -> Session | Response:
    """A state-changing request: its session, and no ``Origin`` but the platform's own."""
    session = authorized(request)
    if not isinstance(session, Session):
        return session
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        return problem(
            403, "origin_refused", "Inspector actions are taken from the inspector's own pages."
        )
    return session


def client_for(request: Request, session: Session) -> ApiClient:
    state = request.app.state
    return ApiClient(request.app, state.stack, session)
