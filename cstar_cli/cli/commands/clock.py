"""``cstar clock show|advance DURATION|reset``: the team's test clock (D21, test mode only)."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.common import JsonOption, app_of, command_group
from cstar_cli.cli.context import AppContext

HELP = "Move the team's test clock to exercise SLAs, bosses and streaks (test mode only)."
MAX_ADVANCE = 366 * 86_400
"""The most one advance may move the clock (the platform refuses more)."""


def describe_offset(seconds: float) -> str:
    """``12 min ahead`` (of real time), or ``real time`` when the clock is not moved."""
    from cstar_cli.wire.times import span

    if abs(seconds) < 1:
        return "real time"
    return f"{span(seconds)} {'ahead' if seconds > 0 else 'behind'}"


def _client(app: AppContext) -> Any:
    """The client, once the key is known to be a test key (exit 2 before any call otherwise)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire.keys import redact

    key = app.require_key().api_key
    if "_live_" in key:
        raise UsageError(
            f"The test clock exists in test mode only; this is a live key ({redact(key)}).",
            "Use a test key (--api-key sk_test_…, or a --profile logged in with one).",
            code="live_mode_refused",
        )
    return app.client()


def _show(app: AppContext, clock: dict[str, Any], said: str | None, *, json_output: bool) -> None:
    from cstar_cli.wire.times import parse_iso

    if json_output:
        if clock.get("offsetSeconds") == 0:
            clock = {**clock, "offsetSeconds": 0}  # not -0.0 right after a reset
        app.printer.json(clock)
        return
    if said:
        app.printer.success(said)
    offset = float(clock.get("offsetSeconds") or 0)
    moment = parse_iso(str(clock["now"]))
    local = _local(moment)
    state = describe_offset(offset)
    app.printer.text(f"Test clock: {state} (team time {local})")
    pending = int(clock.get("pending") or 0)
    if pending:
        app.printer.info(
            f"{pending} webhook deliver{'ies' if pending != 1 else 'y'} that fell due "
            "still being sent; `cstar events list` shows how they went."
        )
    if abs(offset) >= 1:
        app.printer.info(
            "It stays moved across `cstar dev` restarts; `cstar clock reset` sets it back."
        )


def _local(moment: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(moment).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def clock_show(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show how far the team's test clock is ahead of real time, and the team's time.

    Example: cstar clock show --json
    """
    app = app_of(ctx, json_output=json_output)
    clock = _client(app).clock.show()
    _show(app, clock, None, json_output=json_output)


def clock_advance(
    ctx: typer.Context,
    duration: str = typer.Argument(
        ..., metavar="DURATION", help="How far forward: 90s, 15m, 2h, 1d or 1w."
    ),
    json_output: JsonOption = False,
) -> None:
    """Move the team's test clock forward: deadlines pass, bosses spawn and escape.

    Webhook retries that fall due are sent before it returns, in order (up to a minute; the
    rest go on after). Timers of test mode follow the team's clock; signatures keep real time.

    Example: cstar clock advance 15m
    """
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.cli.suggest import clock_backwards
    from cstar_cli.wire.times import parse_duration, span

    app = app_of(ctx, json_output=json_output)
    if duration.strip().startswith("-"):  # `cstar clock advance -- -5m`
        raise UsageError(clock_backwards(duration.strip()))
    try:
        seconds = parse_duration(duration)
    except ValueError as err:
        raise UsageError(f"Invalid DURATION: {err}", "Example: cstar clock advance 15m") from None
    if not 0 < seconds <= MAX_ADVANCE:
        raise UsageError(
            f"DURATION must be more than 0 and at most {span(MAX_ADVANCE)} ({duration!r}).",
            "Example: cstar clock advance 15m",
        )
    clock = _client(app).clock.advance(seconds)
    _show(app, clock, f"Moved the test clock {span(seconds)} forward.", json_output=json_output)


def clock_reset(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Set the team's test clock back to real time (what was recorded meanwhile is kept).

    Example: cstar clock reset
    """
    app = app_of(ctx, json_output=json_output)
    clock = _client(app).clock.reset()
    _show(app, clock, "The test clock is back to real time.", json_output=json_output)


def build(name: str) -> typer.Typer:
    return command_group(
        {"show": clock_show, "advance": clock_advance, "reset": clock_reset},
        help=HELP + "\n\nExample: cstar clock advance 2h",
    )
