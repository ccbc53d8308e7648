"""One update path for every PATCH: a declarative map from wire fields to columns, and one save.

A resource lists its updatable fields once::

    FIELDS = {
        "name": Column(),                                  # -> name; null is a 400
        "email": Column(also=lambda v: {"email_key": v.lower()}),
        "sentiment": Column(nullable=True),                # null clears it
        "tags": Column(kind="json"),
        "metadata": Column(kind="merge"),                  # keys set to null are removed
    }

:func:`patch_values` turns a body into the columns it changes; :func:`save` writes them, with
``updated_at``, the resource's own side effects and its event, in one transaction (D10). Routes
reach both through :meth:`cstar_cli.platform.resources.service.Service.save`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.store.db import Database, Row, dumps
from cstar_cli.wire.camel import snake_case


@dataclass(frozen=True)
class Column:
    """How one field of a PATCH body becomes column values."""

    column: str | None = None
    """The column it sets (default: the field's name in snake_case)."""
    nullable: bool = False
    """``null`` clears the column; otherwise ``null`` is a 400 naming the field."""
    kind: Literal["plain", "json", "bool", "merge"] = "plain"
    """``json``: stored as JSON text; ``bool``: 0/1; ``merge``: merged into the stored object."""
    convert: Callable[[Any], Any] | None = None
    """Checks or normalises the value first (raise :class:`ApiError` to refuse it)."""
    also: Callable[[Any], Row] | None = None
    """More columns derived from the (converted) value, e.g. ``email_key``."""


FieldMap = Mapping[str, Column]


def patch_values(body: BaseModel, row: Row, fields: FieldMap) -> Row:
    """The columns a PATCH body sets, in the order of ``fields``."""
    given = body.model_fields_set
    values: Row = {}
    for name, spec in fields.items():
        if name not in given:
            continue
        value = getattr(body, name)
        column = spec.column or snake_case(name)
        if value is None:
            if spec.kind == "merge":
                continue  # nothing to merge
            if not spec.nullable:
                raise ApiError.invalid(f"{name} cannot be null.", param=name)
            values[column] = None
            continue
        if spec.convert is not None:
            value = spec.convert(value)
        if spec.kind == "json":
            value = dumps(value)
        elif spec.kind == "bool":
            value = int(value)
        elif spec.kind == "merge":
            value = dumps(merge_metadata(json.loads(row[column]), value))
        values[column] = value
        if spec.also is not None:
            values.update(spec.also(value))
    return values


def merge_metadata(current: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Apply a metadata update: keys set to null are removed (SDK-CUS)."""
    merged = dict(current)
    for key, value in update.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Saved:
    """What an update did: the row as it is now, and the changed wire fields (``data.changes``)."""

    row: Row
    changes: dict[str, Any]


def save(
    db: Database,
    table: str,
    row: Row,
    values: Row,
    *,
    stamp: str,
    serialize: Callable[[Row], dict[str, Any]] | None = None,
    watched: list[str] | None = None,
    side_effects: Callable[[Row], None] | None = None,
    emit: Callable[[Row, dict[str, Any]], None] | None = None,
) -> Saved:
    """Write ``values`` to ``row`` if they change anything, in one transaction.

    With ``serialize`` and ``watched``, "changes anything" means a watched wire field differs
    (``changes`` lists them, as events carry them); otherwise any value given. ``side_effects``
    and ``emit`` run inside the same transaction, with the updated row.
    """
    updated = {**row, **values}
    if serialize is not None and watched is not None:
        changed = changes(serialize(row), serialize(updated), watched)
    else:
        changed = {snake_case(k): {"to": v} for k, v in values.items()} if values else {}
    if not changed:
        return Saved(row, {})
    updated["updated_at"] = stamp
    with db.transaction():
        db.update(table, "id", row["id"], {**values, "updated_at": stamp})
        if side_effects is not None:
            side_effects(updated)
        if emit is not None:
            emit(updated, changed)
    return Saved(updated, changed)


def changes(before: dict[str, Any], after: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``{snake_name: {from, to}}`` for each watched wire field that changed (``data.changes``)."""
    return {
        snake_case(name): {"from": before.get(name), "to": after.get(name)}
        for name in fields
        if before.get(name) != after.get(name)
    }
