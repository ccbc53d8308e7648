"""What every inspector page shares: templates, the session cookie, CSRF and Origin checks.

The cookie (``cstar_inspector_<port>``: cookies ignore ports, so two platforms on one machine
each get their own) is HttpOnly and SameSite=Strict, and it authenticates these pages only: the
``/api/…`` routes read nothing but ``Authorization``. A state-changing request must also carry
the session's CSRF token (``X-CSRF-Token``) and an ``Origin`` equal to the platform's own —
SameSite alone would not do, since every page on ``localhost``, whatever its port, is same-site.
Every page forbids framing and loads nothing from another origin (Content-Security-Policy).
"""

from __future__ import annotations

import functools
import hmac
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cstar_cli.platform.inspector.client import ApiClient
from cstar_cli.platform.inspector.sessions import InspectorRefused, InspectorSessions, Session

HERE = Path(__file__).parent
STATIC_PREFIX = "/inspector/static"
FRAGMENT_HEADER = "x-inspector-fragment"
CSRF_HEADER = "x-csrf-token"
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


def cookie_name(request: Request) -> str:
    server = request.scope.get("server") or ("", 0)
    return f"cstar_inspector_{server[1] or 'default'}"


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
    """A page, or only its ``main`` part when the page's script asks to refresh it."""
    page = {
        "request": request,
        "session": session,
        "fragment": request.headers.get(FRAGMENT_HEADER) == "1",
        "path": request.url.path,
        **context,
    }
    html = templates().get_template(template).render(page)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def refused(request: Request, reason: InspectorRefused | None = None) -> Response:
    """401, with the page that says how to get a link — and no data at all."""
    if request.headers.get(FRAGMENT_HEADER) == "1" or request.method != "GET":
        message = reason.message if reason else "No inspector session."
        body = {"error": {"code": "inspector_session_required", "message": message}}
        return JSONResponse(body, status_code=401, headers=SECURITY_HEADERS)
    return render(request, "link.html", {"reason": reason}, status=401)


def open_session(request: Request) -> Session | Response:
    """The page's session, from a link's ``?token=`` (then a redirect) or the cookie."""
    store = sessions_of(request)
    token = request.query_params.get("token")
    cookie = request.cookies.get(cookie_name(request))
    if token:
        rest = {k: v for k, v in request.query_params.items() if k != "token"}
        clean = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        try:
            session = store.redeem(token)
        except InspectorRefused as err:
            try:
                store.session(cookie)  # a used link in a browser that is signed in already
            except InspectorRefused:
                return refused(request, err)
            return RedirectResponse(clean, status_code=303, headers=SECURITY_HEADERS)
        response = RedirectResponse(clean, status_code=303, headers=SECURITY_HEADERS)
        response.set_cookie(
            cookie_name(request), session.id, httponly=True, samesite="strict", path="/"
        )
        return response
    try:
        return store.session(cookie)
    except InspectorRefused as err:
        return refused(request, err if cookie else None)


def check_write(request: Request) -> Session | Response:
    """A state-changing request: its session, CSRF token and same-origin ``Origin``."""
    session = open_session(request) if "token" not in request.query_params else None
    if not isinstance(session, Session):
        return refused(request)
    origin = request.headers.get("origin")
    token = request.headers.get(CSRF_HEADER, "")
    if origin != own_origin(request) or not hmac.compare_digest(token, session.csrf):
        body = {
            "error": {
                "code": "csrf_failed",
                "message": "Inspector actions need the page's CSRF token and its own Origin.",
            }
        }
        return JSONResponse(body, status_code=403, headers=SECURITY_HEADERS)
    return session


def client_for(request: Request, session: Session) -> ApiClient:
    state = request.app.state
    return ApiClient(request.app, state.stack, session)
