"""How commands show API objects: a list, one item, the page footer.

The output layer above the Printer: commands fetch what is shown (the objects, and the member
names a table shows for ids) and hand it here; the Printer draws it. Nothing here calls the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cstar_cli.cli.columns import columns

MESSAGE_COLUMNS = columns(
    "id", "sender", ("NAME", "senderName"), ("INTERNAL", "isInternal"), "createdAt", "content"
)

EVENT_COLUMNS = columns("id", "type", "createdAt", "object")


def event_row(event: dict[str, Any]) -> dict[str, Any]:
    """An event (snake_case, as delivered) as a table row: id, type, time, main object's id."""
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    assert isinstance(data, dict)
    nested = [v for v in data.values() if isinstance(v, dict)]
    obj = next((v.get("id") for v in nested if v.get("id")), None) or data.get("id")
    if obj is None:  # a player's or member's event: the member it is about
        obj = next((v.get("member_id") for v in nested if v.get("member_id")), None)
    return {
        "id": event.get("id"),
        "type": event.get("type"),
        "createdAt": event.get("created_at"),
        "object": obj,
    }


def team_now(app: Any) -> float:
    """The team's time: the last answer's ``meta.timestamp`` (it follows the test clock), else
    this machine's."""
    from cstar_cli.wire.times import parse_iso

    stamp = app.last_meta().get("timestamp")
    try:
        return parse_iso(stamp) if isinstance(stamp, str) else float(app.seams.clock())
    except ValueError:
        return float(app.seams.clock())


def due(ticket: dict[str, Any], now: float) -> str | None:
    """The ticket's next deadline, relative: the response until answered, then the resolution."""
    from cstar_cli.wire.times import parse_iso, relative

    if ticket.get("status") in ("resolved", "closed"):
        return None
    name = "responseDeadline" if not ticket.get("firstResponseAt") else "resolutionDeadline"
    deadline = ticket.get(name) or ticket.get("resolutionDeadline")
    return relative(parse_iso(deadline), now) if isinstance(deadline, str) else None


def ticket_rows(
    app: Any, items: list[dict[str, Any]], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Tickets as rows: the assignee's name, and the next deadline relative to the team's time."""
    now = team_now(app)
    return [
        {
            **t,
            "assignee": names.get(t.get("assignedTo") or "", t.get("assignedTo")),
            "due": due(t, now),
        }
        for t in items
    ]


ROWS: dict[str, Callable[[Any, list[dict[str, Any]], Mapping[str, str]], list[dict[str, Any]]]] = {
    "tickets": ticket_rows
}
"""Resources whose table rows show more than their fields (``--json`` shows the fields); their
rows name the members assigned (``names``, from :func:`cstar_cli.cli.members.list_names`)."""


def render_list(
    app: Any,
    items: list[dict[str, Any]],
    columns: Any,
    *,
    json_output: bool,
    wide: bool = False,
    noun: str | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    if json_output:
        app.printer.json(items)
        return
    shape = ROWS.get(noun or "")
    rows = shape(app, items, names or {}) if shape and items else items
    app.printer.table(rows, columns, wide=wide)


def shown_item(app: Any, item: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """One object as people read it: deadlines also relative, a member id with its name."""
    from cstar_cli.wire.times import parse_iso, relative

    shown = dict(item)
    deadlines = [k for k, v in item.items() if k.endswith("Deadline") and isinstance(v, str)]
    if deadlines:
        now = team_now(app)
        for key in deadlines:
            shown[key] = f"{item[key]} ({relative(parse_iso(item[key]), now)})"
    assignee = item.get("assignedTo")
    if isinstance(assignee, str) and assignee.startswith("mem_"):
        name = names.get(assignee)
        shown["assignedTo"] = f"{assignee} ({name})" if name else assignee
    return shown


def show_done(
    app: Any,
    result: Any,
    said: str,
    *,
    json_output: bool,
    then: Callable[[], None] | None = None,
) -> None:
    """Under ``--json`` the API's answer; otherwise the line that says what was done
    (``Deleted webhook whk_…``), then ``then()`` (the object shown, say)."""
    if json_output:
        app.printer.json(result)
        return
    app.printer.success(said)
    if then is not None:
        then()


def show_written(app: Any, item: Any, said: str, *, json_output: bool) -> None:
    """:func:`show_done`, then the object as it now is (under ``--json``, the object alone)."""
    show_done(
        app,
        item,
        said,
        json_output=json_output,
        then=lambda: render_item(app, item, json_output=False),
    )


def render_item(
    app: Any,
    item: Any,
    *,
    json_output: bool,
    skip: Sequence[str] = ("object",),
    names: Mapping[str, str] | None = None,
) -> None:
    """One object: ``names`` (from :func:`cstar_cli.cli.members.item_names`) names its assignee."""
    if json_output:
        app.printer.json(item)
        return
    if not isinstance(item, dict):
        app.printer.text(str(item))
        return
    shown = [k for k in item if k not in skip and k != "messages"]
    app.printer.detail(shown_item(app, item, names or {}), fields=shown)
    messages = item.get("messages")
    if isinstance(messages, list) and messages:
        app.printer.info(f"\n{len(messages)} message(s):")
        app.printer.table(messages, MESSAGE_COLUMNS)


def page_footer(app: Any, page: Any) -> None:
    p = page.pagination
    if p is None:
        return
    text = f"Page {p.page} of {max(p.total_pages, 1)} ({p.total} total)."
    if p.has_more:
        text += f" Next: --page {p.page + 1}, or --all for everything."
    app.printer.info(text)


ATTEMPT_TIME_COLUMNS = columns("started", "finished")
"""When each delivery attempt ran (``cstar webhooks deliveries``, ``cstar events get``)."""


def attempt_rows(deliveries: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    """Delivery attempts with when each ran, to the second: ``started`` and ``finished`` (a
    retry is queued as the attempt before it fails, so its ``createdAt`` says nothing about when
    it ran); a pending attempt says when it is due (``due in 28 s``), seen from ``now``."""
    return [
        {**d, "started": _attempt_start(d, now), "finished": _to_the_second(d.get("finishedAt"))}
        for d in deliveries
    ]


def fault_columns(
    columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]]
) -> tuple[tuple[str, str], ...]:
    """``columns`` and a FAULT column when an attempt was shaped by a fault (D38)."""
    return (*columns, ("FAULT", "fault")) if any(r.get("fault") for r in rows) else columns


def _attempt_start(delivery: dict[str, Any], now: float) -> str:
    from cstar_cli.wire.times import parse_iso, span

    status = delivery.get("status")
    if status == "pending":
        if not delivery.get("webhookId") and delivery.get("sessionId"):
            return "queued for cstar listen"
        scheduled = delivery.get("scheduledAt")
        try:
            wait = parse_iso(scheduled) - now if isinstance(scheduled, str) else 0.0
        except ValueError:
            wait = 0.0
        return f"due in {span(wait)}" if wait >= 1 else "due now"
    if status == "cancelled" and not delivery.get("startedAt"):
        return "never (cancelled)"
    return _to_the_second(delivery.get("startedAt"))


def _to_the_second(stamp: Any) -> str:
    """``2026-03-06T14:30:05.123Z`` as ``2026-03-06 14:30:05``; ``-`` when there is none."""
    if not isinstance(stamp, str) or len(stamp) < 19 or stamp[10] != "T":
        return "-"
    return f"{stamp[:10]} {stamp[11:19]}"
