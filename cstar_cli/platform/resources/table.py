"""The plain routes of a resource as a table, one line a route: ``items.get("get_customer", …)``
is ``GET /customers/{customerId}``, which builds the service for the caller, calls its ``get``
with the id and answers with what it returns. A route with logic of its own stays a function
beside its table; the operation ids, parameters and schemas are those a function would make."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from enum import Enum
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.service import Caller

Access = dict[str, Any] | None
Tags = list[str | Enum] | None
_ARGUMENT = inspect.Parameter.KEYWORD_ONLY


class ItemRoutes:
    """The table of one resource: its list at ``collection``, its items at
    ``collection/{id_param}``, each route a call of one method of ``service``."""

    def __init__(
        self,
        router: APIRouter,
        service: Callable[[Caller], Any],
        collection: str,
        id_param: str,
        *,
        tags: Tags = None,
    ) -> None:
        self.router = router
        self.service = service
        self.collection = collection
        self.item = f"{collection}/{{{id_param}}}"
        self.id_param = id_param
        self.tags = tags

    def list(
        self,
        name: str,
        summary: str,
        *,
        filters: dict[str, Any] | None = None,
        access: Access = None,
    ) -> None:
        """``GET collection``: ``service.list(paging, **filters)``, each filter an optional query
        parameter of the type given (``{"role": Role}``); a ``bool`` one is ``true`` or ``false``
        (:func:`.common.bool_query`)."""
        params = [inspect.Parameter("paging", _ARGUMENT, default=Depends(common.page_params))]
        flags = [key for key, kind in (filters or {}).items() if kind is bool]
        for key, kind in (filters or {}).items():
            query = Query(None, description="true or false.") if key in flags else Query(None)
            shown = str if key in flags else kind
            params.append(inspect.Parameter(key, _ARGUMENT, annotation=shown | None, default=query))
        call = self._endpoint("list", ["paging"], params, responses.paged, flags)
        self._add("GET", self.collection, name, call, summary, access)

    def create(self, name: str, body: Any, summary: str, *, access: Access = None) -> None:
        """``POST collection``: ``service.create(body)``, answered 201."""
        call = self._endpoint(
            "create",
            ["body"],
            [inspect.Parameter("body", _ARGUMENT, annotation=body)],
            partial(responses.ok, status=201),
        )
        self._add("POST", self.collection, name, call, summary, access, status=201)

    def get(self, name: str, summary: str, *, access: Access = None) -> None:
        """``GET item``: ``service.get(id)``."""
        self._item("GET", name, "get", summary, access)

    def update(self, name: str, body: Any, summary: str) -> None:
        """``PATCH item``: ``service.update(id, body)``."""
        self._item("PATCH", name, "update", summary, body=body)

    def delete(self, name: str, summary: str, *, revoke: bool = False) -> None:
        """``DELETE item``: ``service.delete(id)``, or ``service.revoke(id)`` (a key, an invite)."""
        self._item("DELETE", name, "revoke" if revoke else "delete", summary)

    def _item(
        self,
        verb: str,
        name: str,
        method: str,
        summary: str,
        access: Access = None,
        body: Any = None,
    ) -> None:
        params = [inspect.Parameter(self.id_param, _ARGUMENT, annotation=str)]
        if body is not None:
            params.append(inspect.Parameter("body", _ARGUMENT, annotation=body))
        names = [param.name for param in params]
        call = self._endpoint(method, names, params, responses.ok)
        self._add(verb, self.item, name, call, summary, access)

    def _endpoint(
        self,
        method: str,
        positional: Sequence[str],
        params: Sequence[inspect.Parameter],
        answer: Callable[[Request, Any], Response],
        flags: Sequence[str] = (),
    ) -> Callable[..., Any]:
        """The route's function: FastAPI reads ``params`` from its signature and passes their
        values; those named in ``positional`` go to the service's ``method`` in order, the rest
        by name, the ``flags`` as booleans."""
        service = self.service

        async def endpoint(request: Request, **values: Any) -> Response:
            args = [values.pop(key) for key in positional]
            values.update({key: common.bool_query(values[key], key) for key in flags})
            call = getattr(service(common.caller_of(request)), method)
            return answer(request, call(*args, **values))

        request = inspect.Parameter("request", _ARGUMENT, annotation=Request)
        signature = inspect.Signature([request, *params], return_annotation=Response)
        endpoint.__signature__ = signature  # type: ignore[attr-defined]
        return endpoint

    def _add(
        self,
        verb: str,
        path: str,
        name: str,
        endpoint: Callable[..., Any],
        summary: str,
        access: Access,
        status: int | None = None,
    ) -> None:
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
