"""Plain routes called without FastAPI's per-request machinery.

For every request FastAPI's route handler reads the body again, solves the endpoint's
dependencies, validates each parameter through a generic field and sets up exit stacks — about
a fifth of a ticket create's time. Most of the API's routes need none of that: an ``async``
endpoint that takes the request, path and query parameters, at most one pydantic body and
dependencies that read only query parameters (``page_params``), and returns a finished
:class:`Response`. :func:`plan` recognises such a route once, at start-up; :func:`call` then
validates each parameter with its own FastAPI field (read as ``request_params_to_args`` reads
it, with the per-field introspection done once) and the body the gateway already parsed with
the body's field, and awaits the endpoint directly,
inside the same exception handling.

Anything unusual is left to FastAPI: a parameter or body that does not validate, a missing
body, a content type FastAPI would not read as JSON. :func:`call` then answers ``False``
having consumed nothing, and the route's own ASGI app serves the request, so every error is
FastAPI's as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import params
from fastapi._compat import ModelField
from fastapi._compat.shared import field_annotation_is_sequence, lenient_issubclass
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Json
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

PARSED_BODY = "parsed_body"
"""The request state's key for the JSON body the gateway parsed (D32); absent without a body."""


@dataclass(frozen=True)
class Param:
    """One scalar path or query parameter, read as FastAPI's ``request_params_to_args`` reads
    it, with what that function works out per request worked out once."""

    field: ModelField
    alias: str
    loc: tuple[str, str]
    required: bool
    default: Any

    @classmethod
    def of(cls, field: ModelField) -> Param | None:
        info = field.field_info
        if (
            not isinstance(info, params.Param)
            or info.validation_alias is not None
            or info.validate_default
            or field_annotation_is_sequence(info.annotation)
            or lenient_issubclass(info.annotation, BaseModel)
            or any(type(item) is Json for item in info.metadata)
            or not (info.is_required() or isinstance(field.default, _IMMUTABLE))
        ):
            return None
        required = info.is_required()
        return cls(field, field.alias, (info.in_.value, field.alias), required, field.default)

    def read(self, source: Mapping[str, Any], into: dict[str, Any]) -> bool:
        """Put the validated value in ``into``; ``False`` when it is missing or invalid."""
        value = source.get(self.alias)
        if value is None:
            into[self.field.name] = self.default
            return not self.required
        into[self.field.name], errors = self.field.validate(value, into, loc=self.loc)
        return not errors


@dataclass(frozen=True)
class LeanRoute:
    """What calling one plain route takes: the endpoint, its parameters and body field, and the
    dependencies that read only query parameters (``page_params``), with theirs."""

    dependant: Dependant
    path: tuple[Param, ...]
    query: tuple[Param, ...]
    body: ModelField | None
    needs: tuple[tuple[Dependant, tuple[Param, ...]], ...]


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
    path = _params(dependant.path_params)
    query = _params(dependant.query_params)
    needs = [(need, _params(need.query_params)) for need in dependant.dependencies]
    if path is None or query is None or any(found is None for _, found in needs):
        return None
    return LeanRoute(dependant, path, query, body, tuple((n, p or ()) for n, p in needs))


async def call(
    lean: LeanRoute, scope: Scope, receive: Receive, send: Send, path: dict[str, Any]
) -> bool:
    """Serve the request through ``lean``; ``False`` (nothing consumed) when FastAPI must."""
    request = Request(scope, receive, send)
    dependant = lean.dependant
    values: dict[str, Any] = {}
    if not all(param.read(path, values) for param in lean.path):
        return False
    inputs: list[tuple[Dependant, dict[str, Any]]] = []
    if lean.query or lean.needs:
        query = request.query_params
        if not all(param.read(query, values) for param in lean.query):
            return False
        for need, reads in lean.needs:
            found: dict[str, Any] = {}
            if not all(param.read(query, found) for param in reads):
                return False
            inputs.append((need, found))
    if lean.body is not None:
        parsed = scope["state"].get(PARSED_BODY, _MISSING)
        if parsed is _MISSING or not _json_content(request.headers.get("content-type")):
            return False
        values[lean.body.name], errors = lean.body.validate(parsed, {}, loc=("body",))
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
_IMMUTABLE = (type(None), str, int, float, bool)


def _params(fields: list[ModelField]) -> tuple[Param, ...] | None:
    found = [Param.of(field) for field in fields]
    return None if None in found else tuple(p for p in found if p is not None)


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
