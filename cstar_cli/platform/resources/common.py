"""What every route module shares: the caller, the platform, rows of the caller's team, wire
names, paging, sorting, filters, and the one path of list, update and delete routes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.delivery import outbox as events
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.bounds import MAX_PAGE, MAX_SEARCH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.updates import FieldMap, patch_values, save
from cstar_cli.wire.times import parse_iso

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def principal_of(request: Request) -> Principal:
    principal: Principal = request.scope["state"]["principal"]
    return principal


def caller(request: Request) -> tuple[Platform, Principal]:
    """The platform and who is calling: what almost every route starts with."""
    return platform_of(request), principal_of(request)


# -- rows of the caller's team and environment --------------------------------------------------
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
def camel(column: str) -> str:
    """A column's name on the wire: ``first_response_at`` is ``firstResponseAt``."""
    head, *rest = column.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def columns(row: Row, *names: str) -> dict[str, Any]:
    """Columns of ``row`` as stored, under their wire names (what a serializer copies as is)."""
    return {camel(name): row[name] for name in names}


def sortable(*names: str) -> dict[str, str]:
    """Sort fields for columns that sort as stored: each column under its wire name."""
    return {camel(name): name for name in names}


def require_secret(principal: Principal) -> None:
    if not principal.is_secret:
        raise ApiError.forbidden(
            "insufficient_permissions", "Secret key required for this endpoint."
        )


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int
    sort: str | None


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
) -> PageParams:
    """FastAPI dependency for ``page``, ``pageSize`` (D3, D32) and ``sort`` (D4)."""
    return PageParams(page, pageSize, sort)


def order_by(sort: str | None, fields: Mapping[str, str], default: str = "-createdAt") -> str:
    """An ORDER BY clause for a ``sort`` value, checked against the resource's allowed fields."""
    value = default if sort is None or sort == "" else sort
    descending = value.startswith("-")
    name = value[1:] if descending else value
    column = fields.get(name)
    if column is None:
        allowed = ", ".join(sorted(fields))
        raise ApiError.invalid(
            f"Cannot sort by '{name}'. Sortable fields: {allowed} (prefix '-' for descending).",
            param="sort",
        )
    direction = "DESC" if descending else "ASC"
    return f"{column} {direction}, rowid {direction}"


def sort_values(fields: dict[str, str]) -> list[str]:
    return [v for name in sorted(fields) for v in (name, f"-{name}")]


class Where:
    """Builds a WHERE clause with its parameters, always scoped to a team and environment."""

    def __init__(self, principal: Principal, alias: str = "") -> None:
        prefix = f"{alias}." if alias else ""
        self.clauses = [f"{prefix}team_id = ?", f"{prefix}livemode = ?"]
        self.params: list[Any] = [principal.team_id, int(principal.livemode)]

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def equals(self, column: str, value: Any) -> None:
        """``column = value`` when the filter is given (``None`` adds nothing)."""
        if value is not None:
            self.add(f"{column} = ?", value)

    def tag(self, column: str, tag: str | None) -> None:
        if tag is not None:
            self.add(f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = ?)", tag)

    def search(self, columns: Sequence[str], term: str | None) -> None:
        """Match ``term`` as a substring of any of ``columns`` (SQL expressions)."""
        if term and len(term) > MAX_SEARCH:
            raise ApiError.invalid(f"search is at most {MAX_SEARCH} characters.", param="search")
        if term:
            clause = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
            self.add(f"({clause})", *([like_pattern(term)] * len(columns)))

    def created_between(
        self, after: str | None, before: str | None, params: tuple[str, str]
    ) -> None:
        """``created_at`` at/after ``after`` and before ``before`` (ISO-8601, both optional)."""
        for value, param, op in ((after, params[0], ">="), (before, params[1], "<")):
            if value is None:
                continue
            try:
                parse_iso(value)
            except ValueError:
                raise ApiError.invalid(f"{param} must be an ISO-8601 time.", param=param) from None
            self.add(f"julianday(created_at) {op} julianday(?)", value)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses)


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fetch_page(
    platform: Platform, table: str, where: Where, order: str, params: PageParams
) -> tuple[list[Row], int]:
    db = platform.db
    total_row = db.one(f"SELECT COUNT(*) AS n FROM {table} WHERE {where.sql}", where.params)
    total = int(total_row["n"]) if total_row else 0
    offset = (params.page - 1) * params.page_size
    rows = db.all(
        f"SELECT * FROM {table} WHERE {where.sql} ORDER BY {order} LIMIT ? OFFSET ?",
        [*where.params, params.page_size, offset],
    )
    return rows, total


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
    rows, total = fetch_page(platform_of(request), table, where, order, paging)
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
    events.emit(
        platform.db,
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
