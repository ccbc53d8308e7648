"""``cstar trigger --fixture --override``: overrides checked against the API's request bodies
before any request is sent.

``--override ticket.priorty=urgent`` names a field the step's endpoint does not take, and
``ticket.priority=urgnet`` a value its enumeration does not have: both are usage errors (exit 2)
with close matches, raised before the fixture's first call. The bodies are the API's own
(``cstar_cli.platform.resources.<noun>.models``, imported only when a fixture runs).
"""

from __future__ import annotations

import typing
from typing import Any, Literal

from cstar_cli.cli.suggest import did_you_mean

# (method, resource, path depth) -> the name of the request body model of that endpoint.
BODIES: dict[tuple[str, str, int], str] = {
    ("POST", "customers", 1): "CustomerCreate",
    ("PATCH", "customers", 2): "CustomerUpdate",
    ("POST", "tickets", 1): "TicketCreate",
    ("PATCH", "tickets", 2): "TicketUpdate",
    ("POST", "tickets", 3): "MessageCreate",  # in the tickets models, as messages are
    ("POST", "articles", 1): "ArticleCreate",
    ("PATCH", "articles", 2): "ArticleUpdate",
}


def body_fields(method: str, path: str) -> dict[str, Any] | None:
    """The fields (name -> annotation) of the body ``method path`` takes, if known."""
    parts = [p for p in path.split("/") if p]
    name = BODIES.get((method, parts[0], len(parts))) if parts else None
    if name is None:
        return None
    from importlib import import_module

    model = getattr(import_module(f"cstar_cli.platform.resources.{parts[0]}.models"), name)
    return {field: info.annotation for field, info in model.model_fields.items()}


def choices_of(annotation: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` inside ``annotation`` (through Optional and Annotated)."""
    if typing.get_origin(annotation) is Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    found: tuple[str, ...] = ()
    for arg in typing.get_args(annotation):
        found += choices_of(arg)
    return found


def field_problem(method: str, path: str, field_path: list[str], value: Any) -> str | None:
    """Why ``field_path=value`` can't be sent to ``method path`` (``None`` when it can)."""
    fields = body_fields(method, path)
    if fields is None:
        return None
    name = field_path[0]
    if name not in fields:
        return f"{method} {path} takes no field {name!r}.{did_you_mean(name, fields)}"
    choices = choices_of(fields[name])
    if len(field_path) == 1 and choices and str(value) not in choices:
        return (
            f"{name} {value!r} is not one of {', '.join(choices)}."
            f"{did_you_mean(str(value), choices)}"
        )
    return None
