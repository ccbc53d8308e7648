"""Field names as the wire spells them: a dataclass's snake_case fields as camelCase JSON keys."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@lru_cache(maxsize=4096)  # the same few column names, for every row of every list
def camel_case(name: str) -> str:
    """``duration_ms`` → ``durationMs``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake_case(name: str) -> str:
    """``firstResponseAt`` → ``first_response_at`` (event payloads are snake_case, D11)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def camel_json(
    instance: DataclassInstance,
    *,
    rename: Mapping[str, str] | None = None,
    omit: Collection[str] = (),
) -> dict[str, Any]:
    """The instance's fields in declaration order under camelCase keys, values as they are.

    ``rename`` gives a field another key (``{"number": "attempt"}``); ``omit`` leaves fields out.
    """
    keys = rename or {}
    return {
        keys.get(f.name, camel_case(f.name)): getattr(instance, f.name)
        for f in fields(instance)
        if f.name not in omit
    }
