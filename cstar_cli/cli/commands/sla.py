"""``cstar sla metrics``: how the team did against its SLA targets (D45)."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.commands.reports import window
from cstar_cli.cli.common import JsonOption, app_of, command_group
from cstar_cli.cli.render import render_list

COLUMNS = columns(
    "priority",
    "tickets",
    "responded",
    "resolved",
    ("MEDIAN 1ST REPLY", "firstReply"),
    ("MEDIAN RESOLUTION", "resolution"),
    "breaches",
    "gold",
    "silver",
    "bronze",
    "missed",
)


def row(priority: str, metrics: dict[str, Any]) -> dict[str, Any]:
    """One priority's metrics as a table row."""

    def share(name: str) -> str:
        within = metrics.get(name) or {}
        percent = within.get("percent")
        return f"{within.get('count', 0)} ({'-' if percent is None else f'{percent:g}%'})"

    def minutes(name: str) -> str:
        value = metrics.get(name)
        return "-" if value is None else f"{value:g} min"

    tiers = metrics.get("tiers") or {}
    return {
        "priority": priority,
        "tickets": metrics.get("tickets"),
        "responded": share("respondedWithinTarget"),
        "resolved": share("resolvedWithinTarget"),
        "firstReply": minutes("medianFirstResponseMinutes"),
        "resolution": minutes("medianResolutionMinutes"),
        "breaches": metrics.get("breaches"),
        **{tier: tiers.get(tier, 0) for tier in ("gold", "silver", "bronze", "missed")},
    }


def sla_metrics(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None, "--since", help="From: a duration ago (7d) or an ISO-8601 time (default 30d)."
    ),
    until: str | None = typer.Option(
        None, "--until", help="Until: a duration ago or an ISO-8601 time (default now)."
    ),
    json_output: JsonOption = False,
) -> None:
    """Show SLA metrics per priority and overall, on the team's clock.

    Example: cstar sla metrics --since 7d
    """
    app = app_of(ctx, json_output=json_output)
    metrics = app.client().sla.metrics(window(app, since, until))
    if json_output:
        app.printer.json(metrics)
        return
    rows = [row(p, m) for p, m in (metrics.get("byPriority") or {}).items()]
    rows.append(row("overall", metrics.get("overall") or {}))
    render_list(app, rows, COLUMNS, json_output=False, noun="priorities")
    app.printer.info(f"From {metrics.get('since')} until {metrics.get('until')}.")


def sla_group() -> None:
    """SLA reports: response and resolution within target, medians, breaches and tiers.

    Example: cstar sla metrics --since 7d
    """


def build(name: str) -> typer.Typer:
    """``cstar sla``: metrics (a group, so that more reports can join it)."""
    return command_group({"metrics": sla_metrics}, callback=sla_group)
