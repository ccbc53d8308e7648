"""Edits to an event's payload, in the syntax of ``--override`` (whose parser this is too):
``path=value`` sets a string, ``path:=<json>`` any JSON value; a path is dotted
(``data.ticket.priority``), a list item is named by its index (``data.ticket.tags.0``).

``cstar events resend EVT --set …`` edits what exists (a key or index that is not there is a
mistake, named with its close matches); ``cstar trigger TYPE --for ID -d …`` builds the fields
it sets (:func:`build`). Errors are :class:`EditError`, which the command makes a usage error.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Sequence
from typing import Any


class EditError(ValueError):
    """An edit that can't be made: ``raw`` and the ``reason``; ``shape`` when it is not
    ``path=value`` at all (``--override`` words that its own way)."""

    def __init__(self, raw: str, reason: str, *, shape: bool = False) -> None:
        super().__init__(f"{raw!r}: {reason}")
        self.reason = reason
        self.shape = shape


def parse(raw: str) -> tuple[list[str], Any]:
    """``a.b=text`` → ``(["a", "b"], "text")``; ``a.b:=3`` → ``(["a", "b"], 3)``."""
    eq = raw.find("=")
    if eq <= 0 or (eq == 1 and raw[0] == ":"):
        raise EditError(raw, "expected path=value (or path:=<json>).", shape=True)
    as_json = raw[eq - 1] == ":"
    key = raw[: eq - 1] if as_json else raw[:eq]
    value: Any = raw[eq + 1 :]
    if as_json:
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise EditError(raw, f"the value after := is not JSON ({err.msg})") from None
    parts = [part.strip() for part in key.split(".")]
    if any(not part for part in parts):
        raise EditError(raw, f"the path {key!r} has an empty part.", shape=True)
    return parts, value


def edit(document: dict[str, Any], edits: Sequence[str]) -> dict[str, Any]:
    """A copy of ``document`` with each ``path=value`` set where the path already leads."""
    out = copy.deepcopy(document)
    for raw in edits:
        parts, value = parse(raw)
        target: Any = out
        for depth, part in enumerate(parts):
            where = ".".join(parts[:depth]) or "the payload"
            last = depth == len(parts) - 1
            if isinstance(target, dict):
                if part not in target:
                    raise EditError(raw, f"{where} has no {part!r}.{_close(part, target)}")
                if last:
                    target[part] = value
                else:
                    target = target[part]
            elif isinstance(target, list):
                if not part.isdigit() or int(part) >= len(target):
                    raise EditError(
                        raw, f"{where} is a list of {len(target)}; {part!r} is not an index in it."
                    )
                if last:
                    target[int(part)] = value
                else:
                    target = target[int(part)]
            else:
                raise EditError(raw, f"{where} is {json.dumps(target)}, not an object.")
    return out


def build(edits: Sequence[str]) -> dict[str, Any]:
    """The object the ``path=value`` pairs describe (``a.b=1`` → ``{"a": {"b": "1"}}``)."""
    out: dict[str, Any] = {}
    for raw in edits:
        parts, value = parse(raw)
        target = out
        for depth, part in enumerate(parts[:-1]):
            nested = target.setdefault(part, {})
            if not isinstance(nested, dict):
                where = ".".join(parts[: depth + 1])
                raise EditError(raw, f"{where} is already set to a value, not an object.")
            target = nested
        target[parts[-1]] = value
    return out


def _close(word: str, keys: dict[str, Any]) -> str:
    found = difflib.get_close_matches(word, list(keys), n=2, cutoff=0.6)
    if found:
        return " Did you mean " + " or ".join(repr(k) for k in found) + "?"
    return f" It has: {', '.join(keys)}." if keys else " It is empty."
