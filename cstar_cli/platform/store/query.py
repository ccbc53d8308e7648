"""Reading the caller's rows: a WHERE clause scoped to a team and environment, a checked
ORDER BY, and one page of a list (D3, D4, D32). Services build their lists from these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.bounds import MAX_SEARCH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.wire.camel import camel_case
from cstar_cli.wire.times import parse_iso

CREATION_ORDER = "rowid"
"""What ``sort=createdAt`` orders by: rows in the order they were made (D37)."""


@dataclass(frozen=True)
class Paging:
    """Which page of a list, how big, in which order (``page``, ``pageSize``, ``sort``)."""

    page: int
    page_size: int
    sort: str | None


def sortable(*names: str) -> dict[str, str]:
    """Sort fields for columns that sort as stored: each column under its wire name, except
    ``createdAt``, which is creation order (the rows' sequence) whatever a test clock did (D37)."""
    return {camel_case(name): CREATION_ORDER if name == "created_at" else name for name in names}


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

    def created(self, op: str, value: str, param: str) -> None:
        """``created_at`` ``op`` (``>=``, ``<``) ``value``, an ISO-8601 time ``param`` names."""
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


def stored_or(db: Database, table: str, where: str, params: Sequence[Any], defaults: Row) -> Row:
    """The one row of ``table`` that ``where`` picks, or ``defaults`` while there is none."""
    row = db.one(f"SELECT * FROM {table} WHERE {where}", params)
    return defaults if row is None else row


def fetch_page(
    db: Database, table: str, where: Where, order: str, paging: Paging
) -> tuple[list[Row], int]:
    """One page of ``table``'s rows that ``where`` picks, in ``order``, and how many there are."""
    total_row = db.one(f"SELECT COUNT(*) AS n FROM {table} WHERE {where.sql}", where.params)
    total = int(total_row["n"]) if total_row else 0
    offset = (paging.page - 1) * paging.page_size
    rows = db.all(
        f"SELECT * FROM {table} WHERE {where.sql} ORDER BY {order} LIMIT ? OFFSET ?",
        [*where.params, paging.page_size, offset],
    )
    return rows, total
