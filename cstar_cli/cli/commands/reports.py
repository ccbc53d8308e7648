"""What ``cstar csat`` and ``cstar sla`` share: a window of time (``--since``/``--until``) on
the team's clock (D37)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.commands.events import parse_time
from cstar_cli.cli.common import JsonOption, app_of
from cstar_cli.cli.context import AppContext
from cstar_cli.wire.times import is_duration

if TYPE_CHECKING:
    from cstar_cli.client import CstarClient


def since_option(default: str = "") -> Any:
    """``--since``; ``default`` ends its help: `` (default 30d)``."""
    return typer.Option(
        None, "--since", help=f"From: a duration ago (7d) or an ISO-8601 time{default}."
    )


def until_option(default: str = "") -> Any:
    """``--until``; ``default`` ends its help: `` (default now)``."""
    return typer.Option(
        None, "--until", help=f"Until: a duration ago or an ISO-8601 time{default}."
    )


def window(app: AppContext, since: str | None, until: str | None) -> dict[str, Any]:
    """``{since, until}`` for the API: durations (``7d``) back from the team's now, or
    ISO-8601 times; a bad value is a usage error (exit 2) before any call."""
    given = {name: text for name, text in (("since", since), ("until", until)) if text}
    params = {name: parse_time(text, f"--{name}") for name, text in given.items()}
    if any(is_duration(text) for text in given.values()):
        now = app.client().team_now()
        params = {name: parse_time(text, f"--{name}", now=now) for name, text in given.items()}
    return params


def report_command(
    fetch: Callable[[CstarClient, dict[str, Any]], dict[str, Any]],
    show: Callable[[AppContext, dict[str, Any]], None],
    doc: str,
    *,
    defaults: tuple[str, str] = ("", ""),
) -> Callable[..., None]:
    """A report over ``--since``/``--until`` (``cstar sla metrics``): ``fetch`` gets it for the
    window (``client.sla.metrics(window)``), ``show`` draws it (``--json``: as it is); ``doc`` is
    the help, ``defaults`` end the two options' help."""

    def command(
        ctx: typer.Context,
        since: str | None = since_option(defaults[0]),
        until: str | None = until_option(defaults[1]),
        json_output: JsonOption = False,
    ) -> None:
        app = app_of(ctx, json_output=json_output)
        report = fetch(app.client(), window(app, since, until))
        if json_output:
            app.printer.json(report)
        else:
            show(app, report)

    command.__doc__ = doc
    return command
