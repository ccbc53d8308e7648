"""``cstar csat settings|surveys|stats``: customer satisfaction surveys (D44)."""

from __future__ import annotations

from typing import Any, Literal

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.commands.reports import report_command, since_option, window
from cstar_cli.cli.common import (
    JsonOption,
    app_of,
    command_group,
    given,
)
from cstar_cli.cli.context import AppContext
from cstar_cli.cli.render import render_item, render_list, show_written

HELP = "Customer satisfaction: the survey settings, the answers and their stats."
SURVEY_COLUMNS = columns("id", ("TICKET", "ticketId"), "rating", "comment", "createdAt")
SINCE = since_option()


def csat_settings(
    ctx: typer.Context,
    enabled: bool | None = typer.Option(
        None, "--enable/--disable", help="Turn the surveys on or off.", show_default=False
    ),
    question: str | None = typer.Option(None, "--question", help="The question customers see."),
    send_after: Literal["closed"] | None = typer.Option(
        None, "--send-after", help="When the survey goes out."
    ),
    json_output: JsonOption = False,
) -> None:
    """Show the survey settings, or change them with options.

    Example: cstar csat settings --question 'How did we do?'
    """
    app = app_of(ctx, json_output=json_output)
    body = given({"enabled": enabled, "question": question, "sendAfter": send_after})
    client = app.client()
    if not body:
        render_item(app, client.csat.settings(), json_output=json_output)
        return
    settings = client.csat.update_settings(body)
    show_written(app, settings, "Updated the CSAT settings.", json_output=json_output)


def surveys_list(
    ctx: typer.Context,
    ticket_id: str | None = typer.Option(None, "--ticket-id", help="Only this ticket's answer."),
    rating: int | None = typer.Option(None, "--rating", min=1, max=5, help="Only this rating."),
    since: str | None = SINCE,
    page: int = typer.Option(1, "--page", min=1, help="Page number, from 1."),
    page_size: int = typer.Option(20, "--page-size", min=1, max=100, help="Items per page."),
    json_output: JsonOption = False,
) -> None:
    """List survey answers, newest first.

    Example: cstar csat surveys list --rating 1 --since 7d
    """
    app = app_of(ctx, json_output=json_output)
    params = {**given({"ticketId": ticket_id, "rating": rating}), **window(app, since, None)}
    result = app.client().csat.surveys({**params, "page": page, "pageSize": page_size})
    render_list(app, result.data, SURVEY_COLUMNS, json_output=json_output, noun="surveys")


def surveys_create(
    ctx: typer.Context,
    ticket_id: str = typer.Option(..., "--ticket-id", help="The ticket answered (tkt_…)."),
    rating: int = typer.Option(..., "--rating", min=1, max=5, help="1 (bad) to 5 (great)."),
    comment: str | None = typer.Option(None, "--comment", help="What the customer said."),
    json_output: JsonOption = False,
) -> None:
    """Record a ticket's survey answer (one per ticket).

    Example: cstar csat surveys create --ticket-id tkt_… --rating 5 --comment 'Thanks!'
    """
    app = app_of(ctx, json_output=json_output)
    body = given({"ticketId": ticket_id, "rating": rating, "comment": comment})
    survey = app.client().csat.submit(body)
    show_written(
        app, survey, f"Recorded survey {survey.get('id')} for {ticket_id}.", json_output=json_output
    )


def _show_stats(app: AppContext, stats: dict[str, Any]) -> None:
    spread = stats.get("distribution") or {}
    shown = {
        "responses": stats.get("responses"),
        "averageRating": stats.get("averageRating"),
        "csatScore": stats.get("csatScore"),
        "distribution": "  ".join(f"{n}★ {spread.get(str(n), 0)}" for n in range(1, 6)),
        "since": stats.get("since"),
        "until": stats.get("until"),
    }
    render_item(app, shown, json_output=False)


csat_stats = report_command(
    lambda client, window: client.csat.stats(window),
    _show_stats,
    """Show the responses, the average rating, the CSAT score and the ratings' spread.

    Example: cstar csat stats --since 30d
    """,
)


def build(name: str) -> typer.Typer:
    """``cstar csat``: settings, surveys (list, create) and stats."""
    surveys = command_group(
        {"list": surveys_list, "create": surveys_create}, help="Survey answers: list, create."
    )
    group = command_group({"settings": csat_settings, "stats": csat_stats}, help=HELP)
    group.add_typer(surveys, name="surveys")
    return group
