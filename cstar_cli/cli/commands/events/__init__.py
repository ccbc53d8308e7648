"""``cstar events list|get|resend|--tail``: events as delivered, live (D26), resent (D10)."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.common import (
    AllPagesOption,
    JsonOption,
    PageOption,
    PageSizeOption,
    Paging,
    WideOption,
    app_of,
    command_group,
    show_pages,
)
from cstar_cli.cli.render import (
    ATTEMPT_TIME_COLUMNS,
    EVENT_COLUMNS,
    attempt_rows,
    event_row,
    fault_columns,
)
from cstar_cli.cli.suggest import complete_event_types
from cstar_cli.wire.enums import EventOrigin

DELIVERY_COLUMNS = columns(
    "id",
    "attempt",
    ("TO", "target"),
    "status",
    ("HTTP", "responseStatus"),
    ("MS", "durationMs"),
    *ATTEMPT_TIME_COLUMNS,
    "error",
)


NOT_PAYLOAD = ("origin", "replayOf")
"""What the events API adds beside an event's payload (D39): shown, never delivered."""
SET_HINT = (
    "Use --set data.path=value (data.path:=<json> for numbers, booleans, lists, objects), "
    "e.g. --set data.ticket.priority=urgent; `cstar events get EVT` shows the payload."
)


def parse_time(text: str, option: str, *, now: float | None = None) -> str:
    """``10m``, ``2h``, ``7d`` (ago) or an ISO-8601 time → ISO-8601 UTC for the API."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire.times import to_iso

    try:
        return to_iso(text, now=now)
    except ValueError:
        raise UsageError(
            f"Invalid {option} {text!r}.",
            "Use a duration ago (30s, 10m, 2h, 7d, 1w) or an ISO-8601 time "
            "(2026-03-06 or 2026-03-06T14:30:00Z).",
            code="invalid_time",
        ) from None


def check_type(pattern: str) -> str:
    """One event type or ``resource.*``/``*``, checked against the catalogue (exit 2)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire import catalog

    if "," in pattern:
        raise UsageError(
            f"--type takes one event type or pattern, not a list ({pattern!r}).",
            "Use an exact name (ticket.created) or resource.* (ticket.*).",
        )
    try:
        return catalog.validate_patterns([pattern])[0]
    except ValueError as err:
        raise UsageError(str(err), code="unknown_event_type") from None


def events_list(
    ctx: typer.Context,
    event_type: str | None = typer.Option(
        None,
        "--type",
        "-t",
        help="Only this type, or resource.* (ticket.*).",
        autocompletion=complete_event_types,
    ),
    since: str | None = typer.Option(
        None, "--since", help="Events at or after: a duration ago (10m, 2h, 7d) or ISO-8601."
    ),
    until: str | None = typer.Option(
        None, "--until", help="Events before: a duration ago (10m, 2h, 7d) or ISO-8601."
    ),
    origin: EventOrigin | None = typer.Option(
        None,
        "--origin",
        help="Only events from real writes (action), triggers (synthetic) or replays (replay).",
    ),
    page: PageOption = 1,
    page_size: PageSizeOption = 20,
    all_pages: AllPagesOption = False,
    wide: WideOption = False,
    json_output: JsonOption = False,
) -> None:
    """List events, newest first, as they were delivered (kept 30 days).

    Example: cstar events list --type ticket.* --since 2h --json
    """

    from cstar_cli.wire.times import is_duration

    app = app_of(ctx, json_output=json_output)
    params: dict[str, Any] = {}
    if event_type:
        params["type"] = check_type(event_type)
    if origin:
        params["origin"] = origin
    window = {"since": since, "until": until}
    for name, text in window.items():
        if text:
            params[name] = parse_time(text, f"--{name}")  # checked before any call (exit 2)
    if any(text and is_duration(text) for text in window.values()):
        now = app.client().team_now()  # 10m back on the team's clock (D37)
        for name, text in window.items():
            if text:
                params[name] = parse_time(text, f"--{name}", now=now)
    show_pages(
        app,
        app.client().events,
        params,
        Paging(page=page, size=page_size, every=all_pages),
        json_output=json_output,
        render=lambda items: _render_events(app, items, json_output=json_output, wide=wide),
        noun="events",
    )


def _render_events(
    app: Any, items: list[dict[str, Any]], *, json_output: bool, wide: bool = False
) -> None:
    if json_output:
        app.printer.json(items)
    else:
        rows = [event_row(e) for e in items]
        app.printer.table(rows, EVENT_COLUMNS, empty="No events.", wide=wide)


def delivery_rows(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Delivery attempts with a ``target`` column: the webhook or the listen session."""
    return [{**d, "target": d.get("webhookId") or d.get("sessionId")} for d in deliveries]


def events_get(
    ctx: typer.Context,
    event_id: str = typer.Argument(..., metavar="EVENT_ID", help="The event id (evt_…)."),
    json_output: JsonOption = False,
) -> None:
    """Show one event: its payload as delivered and every delivery attempt, with when each
    started and finished, and when a pending one is due.

    Example: cstar events get evt_ticket_created_1774583010044_abc12345
    """
    import json

    app = app_of(ctx, json_output=json_output)
    event = app.client().events.get(event_id)
    if json_output:
        app.printer.json(event)
        return
    deliveries = event.get("deliveries") or []
    fields = ["id", "type", "created_at", "team_id", "livemode", "origin", "replayOf"]
    app.printer.detail(event, fields=[f for f in fields if f != "replayOf" or event.get(f)])
    app.printer.text("\nPayload:")
    payload = {k: v for k, v in event.items() if k not in ("deliveries", *NOT_PAYLOAD)}
    app.printer.text(json.dumps(payload, indent=2, ensure_ascii=False))
    app.printer.text(f"\nDeliveries ({len(deliveries)}):")
    app.printer.table(
        attempt_rows(delivery_rows(deliveries), app.seams.clock()),
        fault_columns(DELIVERY_COLUMNS, deliveries),
        empty="No delivery attempts: no webhook or listen session was subscribed.",
    )


def events_resend(
    ctx: typer.Context,
    event_id: str = typer.Argument(..., metavar="EVENT_ID", help="The event id (evt_…)."),
    webhook: str | None = typer.Option(
        None, "--webhook", help="Only to this webhook (whk_…), even if it is not subscribed."
    ),
    session: str | None = typer.Option(
        None, "--session", help="Only to this listen session (cls_…)."
    ),
    edits: list[str] | None = typer.Option(
        None,
        "--set",
        metavar="PATH=VALUE",
        help="Replay with edits: set a field of the payload's data, data.ticket.priority=urgent "
        "(PATH:=<json> for numbers, booleans, lists, objects). Repeatable.",
        show_default=False,
    ),
    json_output: JsonOption = False,
) -> None:
    """Deliver an event again: to one webhook or session, or to everything subscribed.

    With --set it is a replay with edits: a new event (new id, signed as usual) of the same
    type, its data changed as asked, sent to --webhook or --session, or without them to the
    webhooks that received the original, and to nothing else.

    Example: cstar events resend evt_ticket_created_1774583010044_abc12345 --set
    data.ticket.priority=urgent
    """

    app = app_of(ctx, json_output=json_output)
    if edits:
        _replay(app, event_id, edits, webhook=webhook, session=session, json_output=json_output)
        return
    result = app.client().events.resend(event_id, webhook_id=webhook, session_id=session)
    if json_output:
        app.printer.json(result)
        return
    count = int(result.get("resentTo") or 0)
    if count == 0:
        app.printer.warn(
            f"Nothing to resend {event_id} to: no active webhook or listen session is "
            "subscribed to its type."
        )
        app.printer.info("Pass --webhook whk_… to send it to a specific endpoint.")
        return
    app.printer.success(f"Resending {event_id} to {count} destination{'s' if count != 1 else ''}.")
    ids = result.get("deliveryIds") or []
    if ids:
        app.printer.text("\n".join(str(i) for i in ids))
    app.printer.info(f"`cstar events get {event_id}` shows how the deliveries went.")


def _replay(
    app: Any,
    event_id: str,
    edits: list[str],
    *,
    webhook: str | None,
    session: str | None,
    json_output: bool,
) -> None:
    """``events resend --set``: the original's data, edited, sent as a new event (D39)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.trigger.edits import EditError, edit, parse

    for raw in edits:
        try:
            path, _ = parse(raw)
        except EditError as err:
            raise UsageError(f"Invalid --set {err}", SET_HINT, code="invalid_edit") from None
        if path[0] != "data" or len(path) < 2:
            raise UsageError(
                f"Invalid --set {raw!r}: only the payload's data can be edited (data.…); the "
                "id, type and times of a replay are the platform's.",
                SET_HINT,
                code="invalid_edit",
            )
    client = app.client()
    original = client.events.get(event_id)
    try:
        edited = edit({"data": original.get("data") or {}}, edits)
    except EditError as err:
        raise UsageError(f"Invalid --set {err}", SET_HINT, code="invalid_edit") from None
    result = client.events.resend(
        event_id, webhook_id=webhook, session_id=session, data=edited["data"]
    )
    if json_output:
        app.printer.json(result)
        return
    new_id = str(result.get("eventId"))
    targets = [str(t) for t in result.get("targets") or []]
    if not targets:
        app.printer.warn(
            f"Replayed {event_id} as {new_id}, but sent it nowhere: no webhook received the "
            "original."
        )
        app.printer.info("Pass --webhook whk_… or --session cls_… to choose where it goes.")
    else:
        app.printer.success(f"Replayed {event_id} with edits as {new_id}, sent to:")
        app.printer.text("\n".join(targets))
    app.printer.info(f"`cstar events get {new_id}` shows how the delivery went.")
    app.printer.text(new_id)


def events_root(
    ctx: typer.Context,
    tail: bool = typer.Option(
        False, "--tail", "-f", help="Stream events live as they happen (the realtime stream)."
    ),
    event_types: list[str] = typer.Option(
        [],
        "--type",
        "-t",
        metavar="TYPE",
        help="With --tail: only this type or resource.* (repeatable).",
    ),
    after: str | None = typer.Option(
        None, "--after", metavar="EVENT_ID", help="With --tail: first replay what came after it."
    ),
    json_output: bool = typer.Option(
        False, "--json", help="With --tail: one payload per line, as delivered."
    ),
) -> None:
    """Browse events as delivered, stream them live, see their deliveries, and resend them.

    With --tail, every event the key may see is shown as it happens, until Ctrl-C; the stream
    reconnects by itself and resumes after the last event shown.

    Example: cstar events --tail --type 'ticket.*' --json
    """
    from cstar_cli.cli.errors import UsageError

    if ctx.invoked_subcommand is not None:
        if tail or event_types or after:
            raise UsageError(
                "--tail, --type and --after go without a subcommand: `cstar events --tail`.",
                f"For `cstar events {ctx.invoked_subcommand}`, put its options after it.",
            )
        return
    if not tail:
        raise UsageError(
            "Give a command (list, get, resend) or --tail.",
            "Example: cstar events --tail, or cstar events list --since 1h.",
        )
    from cstar_cli.cli.commands.events.tail import event_line, run_tail

    app = app_of(ctx, json_output=json_output)
    patterns = [check_type(pattern) for pattern in event_types]

    def show(event: Any) -> None:
        if json_output:
            app.printer.json_line(event.payload)
        else:
            app.printer.text(event_line(event))

    code = run_tail(app, patterns, after, show)
    if code:
        raise typer.Exit(code)


def build(name: str) -> typer.Typer:
    return command_group(
        {"list": events_list, "get": events_get, "resend": events_resend},
        callback=events_root,
        invoke_without_command=True,
    )
