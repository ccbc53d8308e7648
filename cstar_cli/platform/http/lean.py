"""Plain routes called without FastAPI's per-request machinery.

For every request FastAPI's route handler reads the body again, solves the endpoint's
dependencies, validates each parameter through a generic field and sets up exit stacks — about
a fifth of a ticket create's time. Most of the API's routes need none of that: an ``async``
endpoint that takes the request, path and query parameters, at most one pydantic body and
dependencies that read only query parameters (``page_params``), and returns a finished
:class:`Response`. :func:`plan` recognises such a route once, at start-up; :func:`call` then
validates each parameter with FastAPI's own field validation (``request_params_to_args``) and
the body the gateway already parsed with the body's field, and awaits the endpoint directly,
inside the same exception handling.

Anything unusual is left to FastAPI: a parameter or body that does not validate, a missing
body, a content type FastAPI would not read as JSON. :func:`call` then answers ``False``
having consumed nothing, and the route's own ASGI app serves the request, so every error is
FastAPI's as before.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

PARSED_BODY = "parsed_body"
"""The request state's key for the JSON body the gateway parsed (D32); absent without a body."""


@dataclass(frozen=True)
class LeanRoute:
    """What calling one plain route takes: its dependant, its body field, the dependencies that
    read only query parameters (``page_params``)."""

    dependant: Dependant
    body: ModelField | None
    needs: tuple[Dependant, ...]


def plan(route: APIRoute) -> LeanRoute | None:
    """How to call ``route`` directly, or ``None`` when it needs FastAPI's handler."""
    dependant = route.dependant
    if (
        not inspect.iscoroutinefunction(route.endpoint)
        or route.response_model is not None
        or route.dependencies
        or not _plain(dependant)
        or len(dependant.body_params) > 1
        or not all(_plain(need) and not need.dependencies for need in dependant.dependencies)
        or not all(inspect.iscoroutinefunction(need.call) for need in dependant.dependencies)
        or any(need.body_params for need in dependant.dependencies)
    ):
        return None
    body = dependant.body_params[0] if dependant.body_params else None
    if body is not None:
        model = body.field_info.annotation
        embedded = getattr(body.field_info, "embed", False) or getattr(
            route, "_embed_body_fields", False
        )
        if embedded or not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    return LeanRoute(dependant, body, tuple(dependant.dependencies))


async def call(
    lean: LeanRoute, scope: Scope, receive: Receive, send: Send, params: dict[str, Any]
) -> bool:
    """Serve the request through ``lean``; ``False`` (nothing consumed) when FastAPI must."""
    request = Request(scope, receive, send)
    dependant = lean.dependant
    values, errors = request_params_to_args(dependant.path_params, params)
    if dependant.query_params or lean.needs:
        query = request.query_params
        found, errors_ = request_params_to_args(dependant.query_params, query)
        values.update(found)
        errors += errors_
        inputs = []
        for need in lean.needs:
            found, errors_ = request_params_to_args(need.query_params, query)
            inputs.append((need, found))
            errors += errors_
    else:
        inputs = []
    if lean.body is not None:
        parsed = scope["state"].get(PARSED_BODY, _MISSING)
        if parsed is _MISSING or not _json_content(request.headers.get("content-type")):
            return False
        values[lean.body.name], errors_ = lean.body.validate(parsed, {}, loc=("body",))
        errors += errors_
    if errors:
        return False
    if dependant.request_param_name is not None:
        values[dependant.request_param_name] = request

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        for need, found in inputs:
            assert need.call is not None and need.name is not None
            values[need.name] = await need.call(**found)
        assert dependant.call is not None
        response = await dependant.call(**values)
        if not isinstance(response, Response):
            raise TypeError(f"{dependant.call.__name__} must return a Response")
        await response(scope, receive, send)

    await wrap_app_handling_exceptions(endpoint, request)(scope, receive, send)
    return True


_MISSING = object()


def _plain(dependant: Dependant) -> bool:
    """Whether ``dependant`` takes nothing but the request, path, query and body parameters."""
    special = (
        dependant.websocket_param_name,
        dependant.http_connection_param_name,
        dependant.response_param_name,
        dependant.background_tasks_param_name,
        dependant.security_scopes_param_name,
    )
    return not (
        dependant.header_params
        or dependant.cookie_params
        or any(name is not None for name in special)
    )


def _json_content(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this content type as JSON (``application/json`` or
    ``application/…+json``)."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    main, _, sub = kind.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))
