"""Plain routes as tables, one line a route. A plain route builds its service for the caller,
calls one method with the path's parameters (and the body) and answers with what it returns:
``faults.get("/test-helpers/faults/{faultId}", "get_fault", Faults.get, "Show a fault")``, or
for a resource's own routes ``items.get("get_customer", "Get a customer")``. A route with logic
of its own stays a function beside its table; the operation ids, parameters and schemas are
those a function would make."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import partial, partialmethod
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common

Access = dict[str, Any] | None
Tags = list[str | Enum] | None
Answer = Callable[[Request, Any], Response]
_ARGUMENT = inspect.Parameter.KEYWORD_ONLY


@dataclass(frozen=True)
class Calls:
    """The plain routes of one service class on a router, each the call of one of its methods
    (``Faults.get``): the path's parameters in order, then the body if the route takes one."""

    router: APIRouter
    service: Any
    tags: Tags = None

    def add(
        self,
        verb: str,
        path: str,
        name: str,
        method: Callable[..., Any],
        summary: str,
        *,
        body: Any = None,
        status: int | None = None,
        access: Access = None,
        answer: Answer | None = None,
        query: Sequence[inspect.Parameter] = (),
        flags: Sequence[str] = (),
    ) -> None:
        """Route ``verb path`` to ``method``. FastAPI reads the endpoint's parameters from its
        signature: the path's, the body's, then the ``query`` ones (passed by name, the ``flags``
        among them as booleans, :func:`.common.bool_query`)."""
        params = [inspect.Parameter(key, _ARGUMENT, annotation=str) for key in _path_params(path)]
        if body is not None:
            params.append(inspect.Parameter("body", _ARGUMENT, annotation=body))
        positional = [param.name for param in params]
        service = self.service
        reply = answer or partial(responses.ok, status=status or 200)

        async def endpoint(request: Request, **values: Any) -> Response:
            args = [values.pop(key) for key in positional]
            values.update({key: common.bool_query(values[key], key) for key in flags})
            return reply(request, method(service(common.caller_of(request)), *args, **values))

        request = inspect.Parameter("request", _ARGUMENT, annotation=Request)
        signature = inspect.Signature([request, *params, *query], return_annotation=Response)
        endpoint.__signature__ = signature  # type: ignore[attr-defined]
        endpoint.__name__ = name
        self.router.add_api_route(
            path,
            endpoint,
            methods=[verb],
            name=name,
            summary=summary,
            status_code=status,
            tags=self.tags,
            openapi_extra=access,
        )

    get = partialmethod(add, "GET")
    post = partialmethod(add, "POST")
    patch = partialmethod(add, "PATCH")
    delete = partialmethod(add, "DELETE")


class ItemRoutes:
    """The table of one resource: its list at ``collection`` and its items at
    ``collection/{id_param}``, each route a call of the service's method of its kind
    (``Customers.get`` for ``get``). A collection inside another resource
    (``/community/posts/{postId}/comments``) passes the parent's id first."""

    def __init__(
        self,
        router: APIRouter,
        service: Any,
        collection: str,
        id_param: str | None = None,
        *,
        tags: Tags = None,
    ) -> None:
        self.calls = Calls(router, service, tags=tags)
        self.service = service
        self.collection = collection
        self.id_param = id_param

    @property
    def item(self) -> str:
        """The path of one item; a table without ``id_param`` has only its collection's routes."""
        if self.id_param is None:
            raise TypeError(f"{self.collection} has no item routes (no id_param)")
        return f"{self.collection}/{{{self.id_param}}}"

    def list(
        self,
        name: str,
        summary: str,
        *,
        filters: dict[str, Any] | None = None,
        access: Access = None,
    ) -> None:
        """``GET collection``: ``service.list(paging=…, **filters)``, each filter an optional query
        parameter of the type given (``{"role": Role}``); a ``bool`` one is ``true`` or
        ``false``."""
        query = [inspect.Parameter("paging", _ARGUMENT, default=Depends(common.page_params))]
        flags = [key for key, kind in (filters or {}).items() if kind is bool]
        for key, kind in (filters or {}).items():
            given = Query(None, description="true or false.") if key in flags else Query(None)
            shown = str if key in flags else kind
            query.append(inspect.Parameter(key, _ARGUMENT, annotation=shown | None, default=given))
        self.calls.add(
            "GET",
            self.collection,
            name,
            self.service.list,
            summary,
            access=access,
            answer=responses.paged,
            query=query,
            flags=flags,
        )

    def create(self, name: str, body: Any, summary: str, *, access: Access = None) -> None:
        """``POST collection``: ``service.create(body)``, answered 201."""
        create = self.service.create
        self.calls.post(
            self.collection, name, create, summary, body=body, status=201, access=access
        )

    def get(self, name: str, summary: str, *, access: Access = None) -> None:
        """``GET item``: ``service.get(id)``."""
        self.calls.get(self.item, name, self.service.get, summary, access=access)

    def update(self, name: str, body: Any, summary: str) -> None:
        """``PATCH item``: ``service.update(id, body)``."""
        self.calls.patch(self.item, name, self.service.update, summary, body=body)

    def delete(self, name: str, summary: str, *, revoke: bool = False) -> None:
        """``DELETE item``: ``service.delete(id)``, or ``service.revoke(id)`` (a key, an invite)."""
        method = self.service.revoke if revoke else self.service.delete
        self.calls.delete(self.item, name, method, summary)


def _path_params(path: str) -> list[str]:
    """The parameters of a path template, in order: ``["groupId", "customerId"]``."""
    return re.findall(r"{(\w+)}", path)
