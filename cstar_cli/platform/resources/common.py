"""What every route module shares: the :class:`Caller` a request makes, and the query
parameters of lists (``page``, ``pageSize``, ``sort``, ``search``, booleans).

Routes parse, build their resource's service for :func:`caller_of` and answer with what it
returns. (The helpers below ``-- until every resource has its service --`` are the older
route-level path; they go when the last route moves to a service.)"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.bounds import MAX_PAGE, MAX_SEARCH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.identity import Identity
from cstar_cli.platform.resources.service import Caller
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, Where, fetch_page, order_by, sortable
from cstar_cli.platform.store.updates import FieldMap, patch_values, save
from cstar_cli.wire.camel import camel_case

__all__ = ["Paging", "Where", "fetch_page", "order_by", "sortable"]

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def caller_of(request: Request) -> Caller:
    """Who is calling: the platform, the key's principal, the request's unit of work and id,
    and the customer a publishable key acts for through a verified identity (D18, D23)."""
    state = request.scope["state"]
    return Caller(
        platform=request.app.state.platform,
        principal=state["principal"],
        work=state["work"],
        request_id=state.get("request_id"),
        identity=acting_for(request),
    )


def acting_for(request: Request) -> Identity | None:
    """The customer a publishable key acts for; ``None`` for secret keys (never narrowed)."""
    state = request.scope.get("state", {})
    principal = state.get("principal")
    if principal is None or principal.is_secret:
        return None
    identity: Identity | None = state.get("identity")
    return identity


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def principal_of(request: Request) -> Principal:
    principal: Principal = request.scope["state"]["principal"]
    return principal


def caller(request: Request) -> tuple[Platform, Principal]:
    """The platform and who is calling: what almost every route starts with."""
    return platform_of(request), principal_of(request)


# -- until every resource has its service ---------------------------------------------------
def scoped_row(platform: Platform, principal: Principal, table: str, hex_id: str) -> Row | None:
    """The row of ``table`` with this id, if it is in the caller's team and environment."""
    return platform.db.one(
        f"SELECT * FROM {table} WHERE id = ? AND team_id = ? AND livemode = ?",
        (hex_id, principal.team_id, int(principal.livemode)),
    )


def load_scoped(
    platform: Platform, principal: Principal, table: str, prefix: str, param: str, value: str
) -> Row:
    """One row of ``table`` by prefixed id or UUID, within the caller's team and environment.

    Another team's or environment's row is as missing as one that never existed (404).
    """
    row = scoped_row(platform, principal, table, ids.parse(value, prefix, param))
    if row is None:
        raise ApiError.not_found(_noun(table), value)
    return row


def referenced(
    platform: Platform,
    principal: Principal,
    table: str,
    prefix: str,
    param: str,
    value: str,
    noun: str | None = None,
) -> Row:
    """The row a request body points at with ``param``: as :func:`load_scoped`, but a row that
    is not there is the body's fault (400 naming ``param``)."""
    row = scoped_row(platform, principal, table, ids.parse(value, prefix, param))
    if row is None:
        raise ApiError.invalid(f"No {noun or _noun(table)} with id '{value}'.", param=param)
    return row


NOUNS = {
    "customers": "customer",
    "articles": "article",
    "members": "member",
    "categories": "category",
    "listen_sessions": "listen session",
    "sla_rules": "SLA rule",
}


def _noun(table: str) -> str:
    return NOUNS.get(table, table.rstrip("s"))


def new_row(principal: Principal, stamp: str, values: Row) -> Row:
    """A new row of the caller's team and environment: a fresh id, the resource's own
    ``values``, and both timestamps ``stamp``."""
    return {
        "id": ids.new_hex(),
        "team_id": principal.team_id,
        "livemode": int(principal.livemode),
        **values,
        "created_at": stamp,
        "updated_at": stamp,
    }


# -- wire names ----------------------------------------------------------------------------------
def columns(row: Row, *names: str) -> dict[str, Any]:
    """Columns of ``row`` as stored, under their wire names (what a serializer copies as is)."""
    return {camel_case(name): row[name] for name in names}


def require_secret(principal: Principal) -> None:
    if not principal.is_secret:
        raise ApiError.forbidden(
            "insufficient_permissions", "Secret key required for this endpoint."
        )


PageParams = Paging


PAGE = Query(1, ge=1, le=MAX_PAGE, description=f"Page number, 1 to {MAX_PAGE}.")
PAGE_SIZE = Query(
    DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}."
)


def search_query(description: str) -> Any:
    """The ``search`` parameter of a list route: optional text, at most ``MAX_SEARCH`` long."""
    return Query(None, max_length=MAX_SEARCH, description=description)


def page_params(
    page: int = PAGE,
    pageSize: int = PAGE_SIZE,
    sort: str | None = Query(
        None, description="Field to sort by; prefix with '-' for descending. Default -createdAt."
    ),
) -> Paging:
    """FastAPI dependency for ``page``, ``pageSize`` (D3, D32) and ``sort`` (D4)."""
    return Paging(page, pageSize, sort)


def list_response(
    request: Request,
    table: str,
    where: Where,
    paging: PageParams,
    sort_fields: Mapping[str, str],
    show: Callable[[Row], dict[str, Any]],
    *,
    default_sort: str = "-createdAt",
) -> Response:
    """What a list route answers: the page of ``table`` that ``where`` and ``paging`` pick, in
    the order ``paging.sort`` asks for, each row as ``show`` shows it."""
    order = order_by(paging.sort, sort_fields, default_sort)
    rows, total = fetch_page(platform_of(request).db, table, where, order, paging)
    data = [show(row) for row in rows]
    return responses.listing(request, data, paging.page, paging.page_size, total)


Loader = Callable[[Platform, Principal, str], Row]
"""How a route loads the row a request names: ``load(platform, principal, id_from_the_path)``."""


class Patch:
    """One PATCH request: the caller, the stored row it names and the time of the change.

    The one update path of every resource: a route loads its row with ``Patch(request, load,
    id)``, works out the columns its body sets (:meth:`values` with its field map, plus what is
    particular to it) and answers with :meth:`save`.
    """

    def __init__(self, request: Request, load: Loader, resource_id: str) -> None:
        self.request = request
        self.platform, self.principal = caller(request)
        self.row = load(self.platform, self.principal, resource_id)
        self.stamp = self.platform.now_iso(self.principal)

    def values(self, body: BaseModel, fields: FieldMap) -> Row:
        """The columns ``body`` sets, by the resource's declarative ``fields`` map."""
        return patch_values(body, self.row, fields)

    def save(
        self,
        table: str,
        values: Row,
        show: Callable[[Row], dict[str, Any]],
        *,
        watched: list[str] | None = None,
        side_effects: Callable[[Row], None] | None = None,
        emit: Callable[[Row, dict[str, Any]], None] | None = None,
    ) -> Response:
        """Write ``values`` with :func:`~cstar_cli.platform.store.updates.save` (with
        ``watched``, the fields of ``show`` decide whether anything changed) and answer with the
        row as ``show`` shows it."""
        saved = save(
            self.platform.db,
            table,
            self.row,
            values,
            stamp=self.stamp,
            serialize=show,
            watched=watched,
            side_effects=side_effects,
            emit=emit,
        )
        return responses.ok(self.request, show(saved.row))


def delete_row(
    request: Request,
    table: str,
    row: Row,
    prefix: str,
    *,
    unlink: Sequence[str] = (),
    announce: Callable[[Row], None] | None = None,
) -> Response:
    """The one path of a delete route, once it has loaded ``row``: in one transaction (D10) the
    ``unlink`` statements (SQL whose one parameter is the row's id: what points at the row lets
    go of it), the delete itself and ``announce`` (its event); then the :func:`deleted` answer.
    """
    db = platform_of(request).db
    with db.transaction():
        for statement in unlink:
            db.execute(statement, (row["id"],))
        db.execute(f"DELETE FROM {table} WHERE id = ?", (row["id"],))
        if announce is not None:
            announce(row)
    return deleted(request, prefix + row["id"])


def deleted(request: Request, wire_id: str) -> Response:
    """What a delete route answers: the resource's id and ``deleted: true``."""
    return responses.ok(request, {"id": wire_id, "deleted": True})


def emit_event(request: Request, event_type: str, data: dict[str, Any]) -> None:
    """Record the request's event (call inside the transaction that makes the change, D10)."""
    platform, principal = platform_of(request), principal_of(request)
    request.scope["state"]["work"].emit(
        principal,
        event_type,
        data,
        now=platform.now(principal.team_id, principal.livemode),
        request_id=responses.request_id_of(request),
    )


def loads(text: str | None, default: Any) -> Any:
    return default if text is None else json.loads(text)


def bool_query(value: str | None, param: str) -> bool | None:
    if value is None:
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ApiError.invalid(f"{param} must be true or false.", param=param)
