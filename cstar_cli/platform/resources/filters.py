"""A list's filters as data: each keyword a service's ``list`` takes and what it adds to the
WHERE clause when it is given (``None`` is not given). ``Service.filtered`` applies a service's
``filters`` in their order, so the first bad value is the one a 400 names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.store.query import Where

Narrow = Callable[[Any, Where, Any], None]
"""Adds a given filter's clause: called with the service, the WHERE clause and the value."""


@dataclass(frozen=True)
class Filter:
    name: str
    narrow: Narrow


def equals(name: str) -> Filter:
    """The column ``name`` equals the value."""
    return Filter(name, lambda _service, where, value: where.equals(name, value))


def id_of(name: str, prefix: str, param: str) -> Filter:
    """The column ``name`` is the row a wire id (or UUID) of ``prefix`` names (400: ``param``)."""

    def narrow(_service: Any, where: Where, value: str) -> None:
        where.add(f"{name} = ?", ids.parse(value, prefix, param))

    return Filter(name, narrow)


def search(*columns: str) -> Filter:
    """``search``: the term is a substring of any of ``columns``."""
    return Filter("search", lambda _service, where, term: where.search(columns, term))


TAG = Filter("tag", lambda _service, where, tag: where.tag("tags", tag))
"""``tag``: one of the row's ``tags``."""


def created(name: str, op: str, param: str) -> Filter:
    """``created_at`` ``op`` (``>=`` or ``<``) the value, an ISO-8601 time (400: ``param``)."""
    return Filter(name, lambda _service, where, value: where.created(op, value, param))
