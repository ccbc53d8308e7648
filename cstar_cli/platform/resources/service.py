"""What every resource's service shares: the caller, its rows, the time, events, and the one
path of lists, updates and deletes.

A route parses the request, builds its resource's service for the :class:`Caller` and calls one
method; the service owns the SQL, the transaction (the caller's unit of work,
:class:`~cstar_cli.platform.work.Work`), the events it emits and the game hooks, and answers in
wire form. Services never see the HTTP request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from cstar_cli.platform import ids
from cstar_cli.platform.audit.trail import event_entry
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.filters import Filter
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.query import Paging, Where, fetch_page, order_by
from cstar_cli.platform.store.updates import FieldMap, Saved, patch_values, save
from cstar_cli.wire.camel import camel_case
from cstar_cli.wire.enums import EventOrigin
from cstar_cli.wire.times import iso

if TYPE_CHECKING:
    from pydantic import BaseModel

    from cstar_cli.platform.core import Platform
    from cstar_cli.platform.http.auth import Principal
    from cstar_cli.platform.http.identity import Identity
    from cstar_cli.platform.work import Work

Show = Callable[[Row], dict[str, Any]]
"""How a service shows one stored row on the wire."""


@dataclass(frozen=True)
class Caller:
    """Who is asking, for one request: the platform, the key's principal, the unit of work the
    request's writes join, the request id events record, and the customer a portal acts for
    through a verified identity (D18, D23), if any."""

    platform: Platform
    principal: Principal
    work: Work
    request_id: str | None = None
    identity: Identity | None = None


class Service:
    """Base of a resource's service: ``table`` holds its rows, ``prefix`` its wire ids, and
    ``param`` names its id in errors (``ticketId``)."""

    table: ClassVar[str]
    prefix: ClassVar[str]
    param: ClassVar[str]
    noun: ClassVar[str]
    sort_fields: ClassVar[Mapping[str, str]] = {}
    filters: ClassVar[Sequence[Filter]] = ()
    """What ``list`` takes beside the page (``resources/filters.py``)."""

    @property
    def kind(self) -> str:
        """The resource's name in audit actions (``customer_group``, ``sla_rule``, D42)."""
        return self.noun.lower().replace(" ", "_")

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.platform = caller.platform
        self.principal = caller.principal
        self.db: Database = caller.work.db
        self._now: float | None = None

    # -- time and events ---------------------------------------------------------------------
    def now(self) -> float:
        """The time of this request's change, on the caller's clock (a test-mode team may have
        advanced it, D21); the same for every call."""
        if self._now is None:
            self._now = self.platform.now(self.principal.team_id, self.principal.livemode)
        return self._now

    def stamp(self) -> str:
        return iso(self.now())

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """The caller's unit of work: nested calls join one transaction."""
        with self.caller.work.transaction() as db:
            yield db

    def emit(
        self,
        event_type: str,
        data: dict[str, Any],
        *,
        fan_out: bool = True,
        origin: EventOrigin = "action",
        replay_of: str | None = None,
    ) -> dict[str, Any]:
        """Record an event of this request (inside the transaction of its change, D10); a
        trigger's is ``synthetic`` and a replay's ``replay`` (D39). An ``action`` event also
        audits the write it tells of (D42); the others are audited by the write that made them."""
        payload = self.caller.work.emit(
            self.principal,
            event_type,
            data,
            now=self.now(),
            request_id=self.caller.request_id,
            fan_out=fan_out,
            origin=origin,
            replay_of=replay_of,
        )
        if origin == "action":
            kind, resource_id, details = event_entry(event_type, data)
            self.caller.work.audit(
                self.principal, event_type, resource_id, details, self.now(), resource_type=kind
            )
        return payload

    def audit(
        self, action: str, resource_id: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        """Audit a write that emits no event (D42): ``action`` is ``resource.verb``
        (``key.revoked``); call it once, inside the write's transaction when it has one."""
        self.caller.work.audit(self.principal, action, resource_id, details or {}, self.now())

    # -- rows of the caller's team and environment ------------------------------------------
    def where(self, alias: str = "") -> Where:
        return Where(self.principal, alias)

    def filtered(self, given: Mapping[str, Any]) -> Where:
        """The caller's rows narrowed by each of ``filters`` that ``given`` holds, in order."""
        unknown = set(given) - {spec.name for spec in self.filters}
        if unknown:
            raise TypeError(f"{type(self).__name__}.list takes no {', '.join(sorted(unknown))}")
        where = self.where()
        for spec in self.filters:
            value = given.get(spec.name)
            if value is not None:
                spec.narrow(self, where, value)
        return where

    def row(self, table: str, hex_id: str) -> Row | None:
        """The row of ``table`` with this id, if it is in the caller's team and environment."""
        return self.db.one(
            f"SELECT * FROM {table} WHERE id = ? AND team_id = ? AND livemode = ?",
            (hex_id, self.principal.team_id, int(self.principal.livemode)),
        )

    def load(self, value: str) -> Row:
        """One of this resource's rows by prefixed id or UUID; another team's or environment's
        row is as missing as one that never existed (404)."""
        row = self.row(self.table, ids.parse(value, self.prefix, self.param))
        if row is None:
            raise ApiError.not_found(self.noun, value)
        return row

    def referenced(self, table: str, prefix: str, param: str, value: str, *, noun: str) -> Row:
        """The row a request body points at with ``param``: a row that is not there is the
        body's fault (400 naming ``param``)."""
        row = self.row(table, ids.parse(value, prefix, param))
        if row is None:
            raise ApiError.invalid(f"No {noun} with id '{value}'.", param=param)
        return row

    def taken(self, row: Row, column: str) -> bool:
        """Whether another row of ``table`` in ``row``'s team and environment has its ``column``
        (a unique slug, say)."""
        clash = self.db.one(
            f"SELECT 1 FROM {self.table} WHERE team_id = ? AND livemode = ? AND id != ? "
            f"AND {column} = ?",
            (row["team_id"], row["livemode"], row["id"], row[column]),
        )
        return clash is not None

    def new_row(self, values: Row, stamp: str | None = None) -> Row:
        """A new row of the caller's team and environment: a fresh id, ``values`` and both
        timestamps."""
        when = stamp or self.stamp()
        return {
            "id": ids.new_hex(),
            "team_id": self.principal.team_id,
            "livemode": int(self.principal.livemode),
            **values,
            "created_at": when,
            "updated_at": when,
        }

    # -- the one path of lists, updates and deletes -------------------------------------------
    def page(
        self, where: Where, paging: Paging, show: Show, *, default_sort: str = "-createdAt"
    ) -> Page:
        """The page of this resource's rows that ``where`` and ``paging`` pick, each shown."""
        order = order_by(paging.sort, self.sort_fields, default_sort)
        rows, total = fetch_page(self.db, self.table, where, order, paging)
        return Page([show(row) for row in rows], paging.page, paging.page_size, total)

    def patch_values(self, body: BaseModel, row: Row, fields: FieldMap) -> Row:
        """The columns a PATCH body sets, by the resource's declarative ``fields`` map."""
        return patch_values(body, row, fields)

    def save(
        self,
        row: Row,
        values: Row,
        *,
        show: Show | None = None,
        watched: list[str] | None = None,
        side_effects: Callable[[Row], None] | None = None,
        announce: Callable[[Row, dict[str, Any]], None] | None = None,
    ) -> Saved:
        """Write ``values`` to ``row`` if they change anything (with ``show`` and ``watched``:
        a watched wire field), with ``side_effects`` and ``announce`` (its events) in the same
        transaction."""
        with self.transaction():
            saved = save(
                self.db,
                self.table,
                row,
                values,
                stamp=self.stamp(),
                serialize=show,
                watched=watched,
                side_effects=side_effects,
                emit=announce,
            )
            if saved.changes:  # (audited already when ``announce`` emitted its event)
                details = {name: change["to"] for name, change in saved.changes.items()}
                self.audit(f"{self.kind}.updated", self.prefix + row["id"], details)
            return saved

    def remove(
        self,
        row: Row,
        *,
        unlink: Sequence[str] = (),
        announce: Callable[[Row], None] | None = None,
    ) -> dict[str, Any]:
        """Delete ``row`` in one transaction (D10) with the ``unlink`` statements (SQL whose one
        parameter is the row's id: what points at it lets go) and ``announce`` (its event);
        answers ``{id, deleted: true}``."""
        with self.transaction():
            for statement in unlink:
                self.db.execute(statement, (row["id"],))
            self.db.execute(f"DELETE FROM {self.table} WHERE id = ?", (row["id"],))
            if announce is not None:
                announce(row)
            self.audit(f"{self.kind}.deleted", self.prefix + row["id"])
        return deleted(self.prefix + row["id"])


def columns(row: Row, *names: str) -> dict[str, Any]:
    """Columns of ``row`` as stored, under their wire names (what a serializer copies as is:
    ``first_response_at`` is ``firstResponseAt``)."""
    return {camel_case(name): row[name] for name in names}


def stored(row: Row, *names: str) -> dict[str, Any]:
    """Columns of ``row`` under their stored snake_case names (event data, D11)."""
    return {name: row[name] for name in names}


def deleted(wire_id: str) -> dict[str, Any]:
    """What a delete answers: the resource's id and ``deleted: true`` (D3)."""
    return {"id": wire_id, "deleted": True}
