"""``cstar sla metrics``: how the team did against its SLA targets (D45)."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.commands.reports import report_command
from cstar_cli.cli.common import command_group
from cstar_cli.cli.context import AppContext
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


def _show_metrics(app: AppContext, metrics: dict[str, Any]) -> None:
    rows = [row(p, m) for p, m in (metrics.get("byPriority") or {}).items()]
    rows.append(row("overall", metrics.get("overall") or {}))
    render_list(app, rows, COLUMNS, json_output=False, noun="priorities")
    app.printer.info(f"From {metrics.get('since')} until {metrics.get('until')}.")


sla_metrics = report_command(
    lambda client, window: client.sla.metrics(window),
    _show_metrics,
    """Show SLA metrics per priority and overall, on the team's clock.

    Example: cstar sla metrics --since 7d
    """,
    defaults=(" (default 30d)", " (default now)"),
)


def sla_group() -> None:
    """SLA reports: response and resolution within target, medians, breaches and tiers.

    Example: cstar sla metrics --since 7d
    """


def build(name: str) -> typer.Typer:
    """``cstar sla``: metrics (a group, so that more reports can join it)."""
    return command_group({"metrics": sla_metrics}, callback=sla_group)
