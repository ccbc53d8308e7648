"""``cstar trigger EVENT``: fire a synthetic event, or run a fixture that makes it happen (D12)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import typer

from cstar_cli.cli.common import JsonOption, app_of
from cstar_cli.cli.render import EVENT_COLUMNS, event_row
from cstar_cli.cli.suggest import complete_event_types

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.trigger.run import FixtureRun, StepResult


def unknown_event(name: str) -> Exception:
    """A usage error for an event type not in the catalogue, with close matches."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire import catalog
    from cstar_cli.wire.catalog import suggest

    if "*" in name:
        chosen = [t for t in catalog.EVENT_TYPES if catalog.matches(name, t)]
        listed = f" The {name} types: {', '.join(chosen)}." if name != "*" and chosen else ""
        return UsageError(
            f"`cstar trigger` fires one event type, not a pattern ({name!r}).{listed}",
            "Name one, e.g. `cstar trigger ticket.created`; `cstar trigger --list` shows them all.",
            code="unknown_event_type",
        )
    found = suggest(name)
    close = [c for c in found if "*" not in c] or [
        t for c in found for t in catalog.EVENT_TYPES if catalog.matches(c, t)
    ][:3]
    message = f"Unknown event type {name!r}."
    if close:
        options = ", ".join(close[:-1]) + " or " + close[-1] if len(close) > 1 else close[0]
        message += f" Did you mean {options}?"
    return UsageError(
        message, "`cstar trigger --list` shows every event type.", code="unknown_event_type"
    )


def trigger(
    ctx: typer.Context,
    event: str | None = typer.Argument(
        None,
        metavar="EVENT",
        help="Event type, e.g. ticket.created (see --list).",
        show_default=False,
        autocompletion=complete_event_types,
    ),
    list_types: bool = typer.Option(
        False, "--list", help="List every event type with what it means, by category."
    ),
    fixture: bool = typer.Option(
        False,
        "--fixture",
        help="Make the event really happen with API calls (test mode only) instead of "
        "sending a synthetic one.",
    ),
    override: list[str] | None = typer.Option(
        None,
        "--override",
        metavar="STEP.FIELD=VALUE",
        help="With --fixture: set a step's body field, step.field=value (dotted for nested "
        "fields; step.field:=<json> for numbers and booleans). Repeatable.",
        show_default=False,
    ),
    source: str | None = typer.Option(
        None,
        "--for",
        metavar="ID",
        help="Build the event from an existing object (tkt_…, msg_…, cus_…, art_…, cgr_…, pst_…, "
        "cmt_…, srv_…): its data is "
        "what a real EVENT carries for it today.",
        show_default=False,
    ),
    fields: list[str] | None = typer.Option(
        None,
        "--data",
        "-d",
        metavar="KEY=VALUE",
        help="With --for: set a field of the event's data, changes.status.from=open "
        "(KEY:=<json> for numbers, booleans, lists). Repeatable.",
        show_default=False,
    ),
    yes: bool = typer.Option(
        False,
        "--yes",
        "-y",
        help="With --fixture: run a fixture that moves the team clock (bosses, streaks) even "
        "though the environment already holds tickets.",
    ),
    json_output: JsonOption = False,
) -> None:
    """Fire a test event at your webhooks and listen sessions, or run a fixture.

    Without --fixture, the platform sends a synthetic EVENT with realistic sample data to every
    active webhook and `cstar listen` session subscribed to it. With --fixture, real API calls
    in test mode make it happen (ticket.closed creates a customer and a ticket, then closes it),
    and the events they produced are listed. A live key is refused for --fixture (exit 2).
    With --for ID, the synthetic event carries what a real one carries for that object today,
    so a handler that fetches the object finds it (-d sets fields of its data).
    Fixtures for bosses and streaks move the team's test clock forward; they refuse an
    environment that already holds tickets unless given --yes.

    Example: cstar trigger ticket.closed --fixture --override ticket.priority=urgent

    Example: cstar trigger ticket.updated --for tkt_… -d changes.status.from=open
    """
    from cstar_cli.cli.errors import CstarError, UsageError
    from cstar_cli.wire import catalog

    app = app_of(ctx, json_output=json_output)
    if list_types:
        _render_list(app, json_output=json_output)
        return
    if not event:
        raise UsageError(
            "Name the event type to trigger, e.g. `cstar trigger ticket.created`.",
            "`cstar trigger --list` shows every event type.",
            code="missing_event",
        )
    name = event.strip()
    if not catalog.is_known(name):
        raise unknown_event(name)
    if override and not fixture:
        raise UsageError(
            "--override only applies with --fixture.",
            f"Run `cstar trigger {name} --fixture --override step.field=value`.",
        )
    if fields and not source:
        raise UsageError(
            "-d/--data only applies with --for.",
            f"Run `cstar trigger {name} --for ID -d key=value`.",
        )
    if source and fixture:
        raise UsageError(
            "--for and --fixture don't go together: --fixture makes new objects, --for uses one.",
            f"Run `cstar trigger {name} --for ID` or `cstar trigger {name} --fixture`.",
        )
    data = _source_data(name, source, fields or []) if source else None
    if fixture:
        from cstar_cli.trigger.errors import FixtureError

        try:
            _run_fixture(app, name, override or [], yes=yes, json_output=json_output)
        except FixtureError as err:
            kind = UsageError if err.usage else CstarError
            raise kind(err.message, err.hint, code=err.code) from None
        return

    result = app.client().webhooks.trigger_test(name, data, source=source)
    if json_output:
        app.printer.json(result)
        return
    built = f" from {source}" if source else ""
    app.printer.success(f"Triggered {name}{built}: created event {result.get('eventId')}.")
    webhooks, sessions = int(result.get("webhooks") or 0), int(result.get("sessions") or 0)
    app.printer.info(
        f"Sent to {webhooks} webhook{'s' if webhooks != 1 else ''} and "
        f"{sessions} listen session{'s' if sessions != 1 else ''}."
    )
    if webhooks + sessions == 0:
        app.printer.info(
            f"Nothing is subscribed to {name}: create a webhook (`cstar webhooks create --url "
            f"URL --events {name}`) or run `cstar listen --forward-to URL`, then trigger again."
        )
    else:
        app.printer.info(f"`cstar events get {result.get('eventId')}` shows how delivery went.")
    app.printer.text(str(result.get("eventId")))


def _source_data(name: str, source: str, fields: list[str]) -> dict[str, object]:
    """``--for``: the object must be one ``name`` is built from; ``-d`` pairs as an object."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.trigger.edits import EditError, build
    from cstar_cli.wire import sources

    problem = sources.mismatch(name, source)
    if problem is not None:
        family = sources.family_of(source)
        fits = [f.prefix + "…" for f in sources.FAMILIES if name in f.types]
        hint = (
            f"{name} is built from {' or '.join(fits)}."
            if fits
            else f"No object is the source of {name}; trigger it without --for."
        )
        if family is not None:
            hint += f" Try `cstar trigger {family.types[0]} --for {source}`."
        raise UsageError(problem, hint, code="event_does_not_fit")
    try:
        return build(fields)
    except EditError as err:
        raise UsageError(
            f"Invalid -d {err}",
            "Use -d key=value (key:=<json> for numbers, booleans, lists), dotted for nested "
            "fields: -d changes.status.from=open.",
            code="invalid_data",
        ) from None


def _render_list(app: AppContext, *, json_output: bool) -> None:
    from cstar_cli.cli.commands.trigger.clock import clock_note
    from cstar_cli.trigger.fixtures import FIXTURES
    from cstar_cli.wire import catalog

    entries = catalog.events()
    if json_output:
        app.printer.json(
            [
                {
                    "type": e.name,
                    "category": e.category,
                    "description": e.description,
                    "fixture": e.name in FIXTURES,
                    "movesClock": bool(e.name in FIXTURES and FIXTURES[e.name].clock),
                }
                for e in entries
            ]
        )
        return
    width = max(len(e.name) for e in entries)
    lines: list[str] = []
    for category, names in catalog.CATEGORIES.items():
        if lines:
            lines.append("")
        lines.append(f"{category} ({len(names)})")
        for name in names:
            mark = "*" if name in FIXTURES else " "
            note = clock_note(FIXTURES[name]) if name in FIXTURES else ""
            described = catalog.DESCRIPTIONS[name] + (f" (fixture {note})" if note else "")
            lines.append(f"  {name:<{width}} {mark} {described}")
    app.printer.text("\n".join(lines))
    app.printer.info(
        f"{len(entries)} event types. * = has a fixture (`cstar trigger EVENT --fixture`)."
    )


def _run_fixture(
    app: AppContext, name: str, overrides: list[str], *, yes: bool, json_output: bool
) -> None:
    from cstar_cli.cli.commands.trigger.checks import field_problem
    from cstar_cli.cli.commands.trigger.clock import check_clock
    from cstar_cli.trigger.fixtures import apply_overrides, check_test_key, fixture_for
    from cstar_cli.trigger.run import run_fixture

    prepared = apply_overrides(fixture_for(name), overrides, field_problem)
    check_test_key(app.require_key().api_key)
    count = len(prepared.steps)
    if not json_output:
        steps = f"{count} step{'s' if count != 1 else ''}"
        app.printer.info(f"Running the {name} fixture ({steps}, test mode):")
    check_clock(app, prepared, yes=yes, json_output=json_output)
    # Columns as wide as the steps will be: a ${step.id} in a path becomes an id (tkt_ + 32 hex).
    name_width = max(len(step.name) for step in prepared.steps)
    method_width = max(len(step.method) for step in prepared.steps)
    path_width = max(len(re.sub(r"\$\{[^}]*\}", "x" * 36, s.path)) for s in prepared.steps)

    def show(step: StepResult) -> None:
        if not json_output:
            ident = step.object_id or (
                f"{len(step.data)} item(s)" if isinstance(step.data, list) else ""
            )
            line = (
                f"  → {step.name:<{name_width}}  {step.method:<{method_width}}  "
                f"{step.path:<{path_width}}  {step.status}  {ident}"
            )
            app.printer.info(line.rstrip())

    run = run_fixture(app.client(), prepared, on_step=show)
    if json_output:
        app.printer.json(run.as_json())
        return
    _render_run(app, run)


def _render_run(app: AppContext, run: FixtureRun) -> None:
    count = len(run.events)
    app.printer.success(
        f"Fixture {run.event} finished: {count} event{'s' if count != 1 else ''} produced."
    )
    app.printer.table([event_row(e) for e in run.events], EVENT_COLUMNS)
    if not run.produced_target:
        app.printer.warn(f"No {run.event} event was found among them.")
    app.printer.info("`cstar events get EVENT_ID` shows an event's payload and deliveries.")


def build(name: str) -> typer.Typer:
    group = typer.Typer(add_completion=False)
    group.command("trigger")(trigger)
    return group
