"""The app factory: ``create_app(settings)`` builds one independent platform."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from cstar_cli import __version__
from cstar_cli.platform.audit import routes as audit_log
from cstar_cli.platform.core import Platform
from cstar_cli.platform.game import routes as game_routes
from cstar_cli.platform.game.timer import GameTimer
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.cors import Cors
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.gateway import ApiGateway
from cstar_cli.platform.http.openapi import build_openapi
from cstar_cli.platform.http.routing import RouteIndex, dispatching
from cstar_cli.platform.inspector import install as install_inspector
from cstar_cli.platform.inspector import links as inspector_links
from cstar_cli.platform.logs import routes as logs
from cstar_cli.platform.realtime import routes as realtime
from cstar_cli.platform.resources.articles import routes as articles
from cstar_cli.platform.resources.categories import routes as categories
from cstar_cli.platform.resources.community import routes as community
from cstar_cli.platform.resources.csat import routes as csat
from cstar_cli.platform.resources.customer_groups import routes as customer_groups
from cstar_cli.platform.resources.customers import routes as customers
from cstar_cli.platform.resources.events import routes as events
from cstar_cli.platform.resources.invites import routes as invites
from cstar_cli.platform.resources.keys import routes as keys
from cstar_cli.platform.resources.library import routes as library
from cstar_cli.platform.resources.listen_sessions import routes as listen
from cstar_cli.platform.resources.members import routes as members
from cstar_cli.platform.resources.messages import routes as messages
from cstar_cli.platform.resources.preferences import routes as preferences
from cstar_cli.platform.resources.search import routes as search
from cstar_cli.platform.resources.sla_metrics import routes as sla_metrics
from cstar_cli.platform.resources.tickets import routes as tickets
from cstar_cli.platform.resources.webhooks import routes as webhooks
from cstar_cli.platform.resources.whoami import routes as whoami
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.platform.testhelpers import routes as test_helpers

TEAM_PREFIX = "/api/v1/teams/{teamId}"


def create_app(settings: PlatformSettings | None = None, platform: Platform | None = None) -> Any:
    """Build the platform's ASGI app: CORS, then the gateway, then the FastAPI routes."""
    platform = platform or Platform(settings or PlatformSettings())
    platform.background.append(GameTimer(platform))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await platform.start()
        try:
            yield
        finally:
            await platform.stop()

    api = FastAPI(
        title="cStar API (local platform)",
        version=__version__,
        description="The cStar REST API as served by `cstar dev`.",
        docs_url=None,  # the inspector serves /docs from the package (offline, D31)
        redoc_url=None,
        lifespan=lifespan,
    )
    api.state.platform = platform
    routers = [(whoami.router, "")] + [
        (module.router, TEAM_PREFIX)
        for module in (
            tickets,
            messages,
            customers,
            articles,
            categories,
            members,
            keys,
            listen,
            webhooks,
            events,
            logs,
            realtime,
            community,
            csat,
            sla_metrics,
        )
    ]
    routers.append((game_routes.router, TEAM_PREFIX))
    routers.append((game_routes.sla_router, TEAM_PREFIX))
    routers.append((inspector_links.router, TEAM_PREFIX))
    routers.append((library.router, library.PREFIX))
    routers.append((test_helpers.router, TEAM_PREFIX))
    routers.append((preferences.router, TEAM_PREFIX))
    routers.append((customer_groups.router, TEAM_PREFIX))
    routers.append((audit_log.router, TEAM_PREFIX))
    routers.append((invites.router, TEAM_PREFIX))
    routers.append((search.router, TEAM_PREFIX))
    for router, prefix in routers:
        api.include_router(router, prefix=prefix)

    @api.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(StarletteHTTPException, _http_error)
    api.add_exception_handler(Exception, _server_error)
    api.openapi = lambda: build_openapi(api)  # type: ignore[method-assign]
    install_inspector(api)  # D31: the pages at the root, /docs
    api_router: Any = api.router  # its innermost layer runs what the gateway resolved
    api_router.middleware_stack = dispatching(api_router.middleware_stack)
    gateway = ApiGateway(api, platform, RouteIndex(api.router.routes))  # by prefix (issue 25)
    api.state.stack = Cors(gateway, platform.settings.cors_origins, platform.settings.clock)  # D24
    return api.state.stack


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return responses.error(request, exc)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return responses.error(request, validation_to_api_error(exc.errors()))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        err = ApiError(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.url.path}.",
            headers=dict(exc.headers or {}),
        )
    elif exc.status_code == 400:  # a body the framework itself could not parse
        err = ApiError(400, "invalid_json", "The request body is not valid JSON.")
    else:
        err = ApiError(
            404,
            "resource_missing",
            f"Unrecognized request URL ({request.method} {request.url.path}). "
            "See https://www.cstar.help/developers/api-reference.",
        )
    return responses.error(request, err)


async def _server_error(request: Request, exc: Exception) -> Response:
    return responses.error(request, ApiError(500, "internal_error", "Internal platform error."))


def validation_to_api_error(errors: Any) -> ApiError:
    """Turn the first pydantic/FastAPI validation error into a D5 error naming the param."""
    first = errors[0] if errors else {}
    kind = first.get("type", "")
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    param = ".".join(loc) or None
    where = first.get("loc", ("body",))[0]
    if kind == "json_invalid":
        return ApiError(400, "invalid_json", "The request body is not valid JSON.")
    if kind == "missing" and where == "body" and not loc:
        return ApiError(400, "parameter_missing", "A JSON object body is required.", param=None)
    if kind == "missing":
        return ApiError.missing(param or "body")
    if kind == "extra_forbidden":
        return ApiError.invalid(f"Unknown field '{param}'.", param=param)
    if where == "body" and not loc:
        return ApiError.invalid("The request body must be a JSON object.")
    message = first.get("msg", "Invalid value")
    label = param or "the request"
    return ApiError.invalid(f"Invalid value for '{label}': {message}.", param=param)
