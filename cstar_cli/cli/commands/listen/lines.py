"""``cstar listen``'s lines, fitted to the terminal as the tables are: ids whole, the least
important parts shortened first.

A line is a list of parts, each with its forms from whole to shortest (``""``: left out). While
the line is wider than the terminal, the next step of its plan applies: a part takes its next
form, or is cut in the middle (an address keeps its host and its path's end). Event types and
ids are never cut; when they alone are wider than the terminal, the terminal wraps them. Piped
output (no width) is never shortened. Pure functions: the reporter prints.
"""

from __future__ import annotations

from collections.abc import Sequence

CUT = -1
"""A step that cuts a part in the middle, as far as the line needs (not below :data:`FLOOR`)."""
FLOOR = 12
"""A cut part keeps at least this many characters."""

Step = tuple[int, int]
"""``(part, form)``: part number ``part`` takes its form number ``form`` (or is cut: CUT)."""


def middle_cut(text: str, length: int) -> str:
    """``text`` in ``length`` characters, its start and end kept around a "…"."""
    if len(text) <= length:
        return text
    if length <= 1:
        return "…"[:length]
    head = length // 2
    tail = length - 1 - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


def fit(parts: Sequence[Sequence[str]], plan: Sequence[Step], width: int | None) -> list[str]:
    """Each part's form once the line is at most ``width`` wide (or the plan is spent)."""
    chosen = [forms[0] for forms in parts]
    for index, form in plan:
        excess = sum(map(len, chosen)) - width if width is not None else 0
        if excess <= 0:
            break
        if form >= len(parts[index]):
            continue  # this part has no such form (a target that is not shown)
        if form == CUT:
            current = chosen[index]
            lead = len(current) - len(current.lstrip())  # a separator in front stays whole
            body = current[lead:]
            chosen[index] = current[:lead] + middle_cut(body, max(FLOOR, len(body) - excess))
        else:
            chosen[index] = parts[index][form]
    return chosen


def bare(url: str) -> str:
    """An address without its ``http://`` (what people type to ``-f``)."""
    return url.split("://", 1)[-1]


def received_line(
    when: str,
    event_type: str,
    event_id: str,
    *,
    target: str | None,
    resend_attempt: int | None,
    width: int | None,
) -> str:
    """``2026-05-01 14:30:00   --> ticket.created [evt_…] → http://localhost:3000/hooks``.

    Shortened in this order: the date and the gap, the target's scheme, the resend note, the
    target (cut), the time, the event type (the event id names it too), then the target."""
    day, _, clock = when.partition(" ")
    parts: list[list[str]] = [
        [f"{day} {clock}   --> ", f"{clock} --> ", "--> "],
        [f"{event_type} ", ""],
        [f"[{event_id}]"],
        [f" → {target}", f" → {bare(target)}", ""] if target else [""],
        (
            [f" (resend, delivery attempt {resend_attempt})", f" (resend {resend_attempt})"]
            if resend_attempt is not None
            else [""]
        ),
    ]
    plan: list[Step] = [(0, 1), (3, 1), (4, 1), (3, CUT), (0, 2), (1, 1), (3, 2)]
    return "".join(fit(parts, plan, width))


def responded_parts(
    when: str,
    status: str,
    target: str,
    duration: str,
    note: Sequence[str],
    event_id: str,
    *,
    many_routes: bool,
    width: int | None,
) -> list[str]:
    """``2026-05-01 14:30:00   <-- [200] POST http://localhost:3000/hooks 12 ms [evt_…]`` as
    parts (the status is the second: it is coloured).

    ``note`` holds the forms of what follows the duration (`` · attempt 2/4, retrying in 1 s``
    and shorter ones). Shortened in this order: the date and the gap, ``POST``, the target's
    scheme, the note's wording; the target (with one route, left out: the ready lines named
    it; with several, cut); the time; the note's details; the duration; and with several
    routes, the target at last."""
    day, _, clock = when.partition(" ")
    parts: list[list[str]] = [
        [f"{day} {clock}   <-- ", f"{clock} <-- ", "<-- "],
        [status],
        [" POST", ""],
        [f" {target}", f" {bare(target)}", ""],
        [f" {duration}", ""],
        [*note] or [""],
        [f" [{event_id}]"],
    ]
    plan: list[Step] = [(0, 1), (2, 1), (3, 1), (5, 1), (3, CUT if many_routes else 2), (0, 2)]
    plan += [(5, n) for n in range(2, len(note))]
    plan.append((4, 1))
    if many_routes:
        plan.append((3, 2))
    return fit(parts, plan, width)


def status_text(parts: Sequence[Sequence[str]], plan: Sequence[Step], width: int | None) -> str:
    """An updating status line (stderr) that fits: one cell short of the width, so that it
    never wraps (a wrapped line cannot be redrawn in place)."""
    line = "".join(fit(parts, plan, None if width is None else width - 1))
    if width is not None and len(line) > width - 1:
        line = line[: max(0, width - 2)] + "…"
    return line


def platform_status(reason: str, retry_in: float, *, width: int | None) -> str:
    """``Disconnected: cannot reach the platform (…). Reconnecting in 2.0 s; events wait…``"""
    parts = [
        ["Disconnected: "],
        [f"{reason}. ", ""],
        [f"Reconnecting in {retry_in:.1f} s", f"retry in {retry_in:.1f} s"],
        ["; events wait on the platform meanwhile.", "; events wait there.", "…"],
    ]
    return status_text(parts, [(3, 1), (1, 1), (3, 2), (2, 1)], width)


def held_status(held: Sequence[tuple[str, int, str]], *, width: int | None) -> str:
    """``http://localhost:3000 can't be reached (…); holding 2 events in order and retrying…``
    for one target ``(target, events held, why)``; for several, how many and which."""
    total = sum(count for _, count, _ in held)
    counts = " + ".join(str(count) for _, count, _ in held)  # each target has its own queue
    events = f"{counts} event{'s' if total != 1 else ''}"
    tail = [f"; holding {events} in order and retrying…", f"; holding {events}…"]
    if len(held) == 1:
        target, _, reason = held[0]
        parts = [[target, bare(target)], [" can't be reached"], [f" ({reason})", ""], tail]
        return status_text(parts, [(2, 1), (0, 1), (3, 1), (0, CUT)], width)
    targets = ", ".join(bare(target) for target, _, _ in held)
    parts = [[f"{len(held)} targets can't be reached"], [f" ({targets})", ""], tail]
    return status_text(parts, [(1, 1), (2, 1)], width)
