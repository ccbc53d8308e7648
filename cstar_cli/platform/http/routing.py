"""The API's routes by prefix: the gateway resolves a request with a dictionary lookup.

FastAPI matches a request by walking every included router and, inside the one that takes it,
its routes again — route by route, for every request. The API's paths say their family in a
fixed place (``/api/v1/teams/{teamId}/tickets/…``: ``tickets``), so :class:`RouteIndex` files
every ``/api/`` route under its *family key* — the path's segments up to the first literal one
after a path parameter, parameters written ``*`` — and a request looks up its family with one
dictionary lookup per key shape (three today), then tries only that family's few routes.

The index is read from the app's routes once they are all registered, so a resource family
added later is indexed by registering its router in ``platform/app.py`` as today. FastAPI still
builds the OpenAPI document, validates, serves ``/docs`` and runs each route: the gateway hands
the resolved route to :func:`dispatching` (the app router's innermost layer), which calls it
directly inside FastAPI's own exception handling; a plain route the gateway runs itself
(:class:`Direct`, ``http.lean``) and hands on only when it needs FastAPI after all. A request
the index does not resolve (no route, a method the path does not take, websockets, pages
outside ``/api/``) goes through FastAPI's own walk, so its answer (404, 405) is FastAPI's as
before.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cstar_cli.platform.http import lean
from cstar_cli.platform.http.access import ACCESS_FIELD, Access

RESOLVED = "cstar.route"
"""The scope key under which the gateway leaves the route it resolved for the router."""
_API = "/api/"


@dataclass(frozen=True)
class Target:
    """One API route: how to match it and how to run it."""

    order: int
    """Its place in FastAPI's walk: when two routes could take a path, the first wins."""
    template: str
    methods: frozenset[str]
    access: Access
    match: Callable[[str], Any]
    convertors: dict[str, Any]
    endpoint: Callable[..., Any]
    route: APIRoute
    app: ASGIApp
    """The route's own ASGI app (validation, the endpoint, the response)."""
    scope: dict[str, Any] = field(default_factory=dict)
    """What FastAPI's walk would have put in the scope's ``fastapi`` entry before the call."""
    lean: lean.LeanRoute | None = None
    """How to call the endpoint without FastAPI's handler, for a plain route (``http.lean``)."""


@dataclass(frozen=True)
class Resolved:
    """A request's route: its target, or only its access when the method does not match."""

    access: Access | None
    target: Target | None = None
    params: dict[str, Any] = field(default_factory=dict)


NOT_FOUND = Resolved(None)
PARTIAL = Resolved(None)
"""The path is a route's, the method is not: FastAPI's walk answers 405."""


class RouteIndex:
    """Every ``/api/`` route by family key; see the module docstring."""

    def __init__(self, routes: list[Any]) -> None:
        self._families: dict[tuple[str, ...], list[Target]] = {}
        self._shapes: set[tuple[int, tuple[int, ...]]] = set()
        """(key length, positions of parameters): how to cut a request path into a key."""
        for target in _targets(routes):
            key, shape = _family(target.template)
            self._families.setdefault(key, []).append(target)
            self._shapes.add(shape)

    def resolve(self, path: str, method: str) -> Resolved:
        """The route for ``method path``; :data:`NOT_FOUND` when no ``/api/`` route has it."""
        parts = path.split("/")[1:]
        best: tuple[Target, Any] | None = None
        partial = False
        for length, params in self._shapes:
            if len(parts) < length:
                continue
            key = tuple("*" if i in params else parts[i] for i in range(length))
            for target in self._families.get(key, ()):
                found = target.match(path)
                if found is None:
                    continue
                if method not in target.methods:
                    partial = True
                    continue
                if best is None or target.order < best[0].order:
                    best = (target, found)
                break  # a family's routes are in FastAPI's order: its first match wins
        if best is None:
            return PARTIAL if partial else NOT_FOUND
        target, found = best
        values = {
            name: target.convertors[name].convert(value)
            for name, value in found.groupdict().items()
        }
        return Resolved(target.access, target, values)


def dispatching(walk: ASGIApp) -> Callable[[Scope, Receive, Send], Coroutine[Any, Any, None]]:
    """The router's innermost layer: run the route the gateway resolved, or FastAPI's walk."""

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        resolved: Resolved | None = scope.pop(RESOLVED, None)
        target = resolved.target if resolved is not None else None
        if resolved is None or target is None or scope["type"] != "http":
            await walk(scope, receive, send)
            return
        _enter(scope, resolved, target)  # (a lean route got here only if it needs FastAPI)
        await target.app(scope, receive, send)

    return dispatch


class Direct:
    """Runs a lean route the gateway resolved straight from the gateway, past the app's
    middleware stack, doing for it what that stack would: the app and router in the scope, the
    exception handlers for :func:`lean.call`, and the app's crash handler (the 500 answer)
    for anything else a route raises. ``False`` when the route needs the app after all."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        handlers = {k: v for k, v in app.exception_handlers.items() if k not in (500, Exception)}
        stack = ExceptionMiddleware(app, handlers)  # for the tables it builds, as the app's own
        self.handlers = (stack._exception_handlers, stack._status_handlers)
        self.crash = app.exception_handlers.get(500) or app.exception_handlers.get(Exception)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        resolved: Resolved | None = scope.get(RESOLVED)
        target = resolved.target if resolved is not None else None
        if resolved is None or target is None or target.lean is None:
            return False
        scope["app"] = self.app
        scope["router"] = self.app.router
        scope["starlette.exception_handlers"] = self.handlers
        _enter(scope, resolved, target)
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            return await lean.call(target.lean, scope, receive, sending, resolved.params)
        except Exception as exc:
            if self.crash is not None and not started:
                answer = self.crash(Request(scope), exc)
                if inspect.isawaitable(answer):
                    answer = await answer
                await answer(scope, receive, send)
            raise


def _enter(scope: Scope, resolved: Resolved, target: Target) -> None:
    """What FastAPI's walk leaves in the scope for the route it found."""
    scope["endpoint"] = target.endpoint
    scope["path_params"] = resolved.params
    scope["route"] = target.route
    if target.scope:
        scope.setdefault("fastapi", {}).update(target.scope)


def _targets(routes: list[Any]) -> list[Target]:
    """The app's HTTP routes under ``/api/``, in FastAPI's order, whichever way this FastAPI
    keeps included routers (copied into the app's list, or included as a branch)."""
    found: list[Target] = []
    for entry in routes:
        if isinstance(entry, APIRoute):
            if entry.path.startswith(_API):
                found.append(_target(len(found), entry, entry.path, entry.app, {}))
            continue
        contexts = getattr(entry, "effective_route_contexts", None)
        if contexts is None:
            continue
        for context in contexts():
            route = context.original_route
            template = getattr(context, "path_format", "")
            if isinstance(route, APIRoute) and template.startswith(_API) and context.app:
                where = {"effective_route_context": context, "included_router": entry}
                found.append(_target(len(found), route, template, context.app, where))
    return found


def _target(
    order: int, route: APIRoute, template: str, app: ASGIApp, where: dict[str, Any]
) -> Target:
    regex, _, convertors = compile_path(template)
    extra = route.openapi_extra or {}
    return Target(
        order=order,
        template=template,
        methods=frozenset(route.methods or ()),
        access=Access(extra.get(ACCESS_FIELD, Access.SECRET)),
        match=regex.match,
        convertors=convertors,
        endpoint=route.endpoint,
        route=route,
        app=app,
        scope=where,
        lean=lean.plan(route),
    )


def _family(template: str) -> tuple[tuple[str, ...], tuple[int, tuple[int, ...]]]:
    """A template's family key and its shape: its segments up to the first literal one after a
    parameter (``('api', 'v1', 'teams', '*', 'tickets')``), or all of them without one."""
    parts = template.split("/")[1:]
    params = [i for i, part in enumerate(parts) if part.startswith("{")]
    length = len(parts)
    if params:
        later = [i for i in range(params[0] + 1, len(parts)) if i not in params]
        length = later[0] + 1 if later else len(parts)
    wild = tuple(i for i in params if i < length)
    key = tuple("*" if i in wild else parts[i] for i in range(length))
    return key, (length, wild)
