"""``cstar audit-log``: every write to the team, who made it and from where (D42)."""

from __future__ import annotations

import json
from typing import Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.common import JsonOption, SinceOption, app_of, one_command

COLUMNS = columns(
    ("TIME", "createdAt"),
    "action",
    ("RESOURCE", "resourceId"),
    "actor",
    "source",
    ("DETAILS", "summary"),
)
SUMMARY_WIDTH = 60


def audit_log(
    ctx: typer.Context,
    action: str | None = typer.Option(None, "--action", help="e.g. ticket.updated, key.revoked."),
    resource_type: str | None = typer.Option(
        None, "--resource-type", help="e.g. ticket, customer_group."
    ),
    resource_id: str | None = typer.Option(None, "--resource-id", help="e.g. tkt_…"),
    source: str | None = typer.Option(None, "--source", help="api, cli, inspector or mcp."),
    since: SinceOption = None,
    until: str | None = typer.Option(None, "--until", help="An ISO-8601 time (entries before)."),
    page: int = typer.Option(1, "--page", min=1, help="Page number, from 1."),
    page_size: int = typer.Option(20, "--page-size", min=1, max=100, help="Entries per page."),
    json_output: JsonOption = False,
) -> None:
    """Show the team's audit log: every write, who made it, from where.

    Newest first: the action, the resource, the actor (a key's name, a verified customer's
    email, or system), the source (api, cli, inspector, mcp) and the changed fields. Secrets
    never appear.

    Example: cstar audit-log --action ticket.updated --since 1h
    """
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.cli.render import render_list
    from cstar_cli.wire.times import is_duration, iso, parse_duration, parse_iso

    app = app_of(ctx, json_output=json_output)
    params: dict[str, Any] = {"page": page, "pageSize": page_size}
    given = {
        "action": action,
        "resourceType": resource_type,
        "resourceId": resource_id,
        "source": source,
        "until": until,
    }
    params.update({k: v for k, v in given.items() if v})
    if since:
        if is_duration(since):
            params["since"] = iso(app.client().team_now() - parse_duration(since))
        else:
            try:
                parse_iso(since)
            except ValueError:
                raise UsageError(
                    f"--since {since!r} is neither a duration nor an ISO-8601 time.",
                    "Use 10m, 2h, 7d or a time such as 2026-05-01T09:00:00Z.",
                ) from None
            params["since"] = since
    entries = app.client().audit_log.list(params).data
    if not entries and not json_output:
        app.printer.info("No matching audit entries.")
        return
    rows = entries if json_output else [shown(entry) for entry in entries]
    render_list(app, rows, COLUMNS, json_output=json_output)


def shown(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as a table row: the actor with its kind, the details in one short line."""
    details = json.dumps(entry.get("details") or {}, ensure_ascii=False, separators=(",", ":"))
    if len(details) > SUMMARY_WIDTH:
        details = details[: SUMMARY_WIDTH - 1] + "…"
    actor = f"{entry.get('actorName')} ({entry.get('actorType')})"
    return {**entry, "actor": actor, "summary": details if details != "{}" else ""}


def build(_name: str) -> typer.Typer:
    return one_command(audit_log)
