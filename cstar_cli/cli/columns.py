"""A table's columns, and how wide each may be: ids whole, free text shortened first, or no
table at all.

A column of identifiers (ids, event types, times, enumerations) is never cut: people copy them.
When a table is wider than the terminal, the free-text columns (titles, names, emails, URLs)
give up width, widest first, down to a floor; when that is not enough the table is shown as
records, one ``FIELD  value`` line each, instead of silently dropping columns. Pure functions:
the Printer measures text and draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Column = tuple[str, str]
"""A column: its header and the field it shows, ``("CREATED", "createdAt")``."""
GAP = 3
"""Spaces between two columns."""
FLOOR = 10
"""Free text is never shortened below this many cells (or its header)."""
TOKEN = re.compile(r"^[a-z][a-z0-9]*(?:[._][A-Za-z0-9_.-]+)+$")
"""``tkt_…``, ``evt_ticket_created_…``, ``ticket.created``: an identifier, whole or nothing."""
WHOLE = frozenset({"id", "due"})
"""Fields shown whole whatever their values look like (ids, relative deadlines)."""


def columns(*fields: str | Column) -> tuple[Column, ...]:
    """The columns of a table: a field alone is headed by its words in capitals, a time's
    trailing ``At`` dropped (``status`` -> ``STATUS``, ``lastUsedAt`` -> ``LAST USED``,
    ``created_at`` -> ``CREATED``); any other header is given with its field."""
    return tuple(field if isinstance(field, tuple) else (header(field), field) for field in fields)


def header(field: str) -> str:
    """``lastUsedAt`` -> ``LAST USED``: see :func:`columns`."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", field).upper().split("_")
    return " ".join(words[:-1] if len(words) > 1 and words[-1] == "AT" else words)


def is_identifier(field: str, values: Sequence[str]) -> bool:
    """True for a column that must never be cut."""
    if field in WHOLE or field.endswith(("Id", "At", "Deadline")):
        return True
    shown = [v for v in values if v != "-"]
    return bool(shown) and all(TOKEN.match(v) for v in shown)


def widths(
    headers: Sequence[str],
    fields: Sequence[str],
    rows: Sequence[Sequence[str]],
    available: int | None,
    measure: Callable[[str], int] = len,
) -> list[int] | None:
    """Each column's width within ``available`` cells (``None``: any width), or ``None`` when
    the identifiers alone do not fit and the rows should be shown as records."""
    natural = [
        max([measure(header), *(measure(row[i]) for row in rows)])
        for i, header in enumerate(headers)
    ]
    if available is None:
        return natural
    excess = sum(natural) + GAP * (len(natural) - 1) - available
    floors = [
        natural[i]
        if is_identifier(fields[i], [row[i] for row in rows])
        else min(natural[i], max(FLOOR, measure(headers[i])))
        for i in range(len(headers))
    ]
    result = list(natural)
    while excess > 0:
        room = [result[i] - floors[i] for i in range(len(result))]
        widest = max(range(len(result)), key=lambda i: (room[i] > 0, result[i]))
        if room[widest] <= 0:
            return None
        result[widest] -= 1
        excess -= 1
    return result
