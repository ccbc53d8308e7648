"""``cstar tickets messages list|create``: a ticket's messages."""

from __future__ import annotations

from typing import Literal

import typer

from cstar_cli.cli.common import DATA_HELP, JsonOption, app_of, given, parse_data
from cstar_cli.cli.members import item_names
from cstar_cli.cli.render import MESSAGE_COLUMNS, render_item, render_list

# -- ticket messages ---------------------------------------------------------------------------


def messages_list(
    ctx: typer.Context,
    ticket_id: str = typer.Argument(..., metavar="TICKET_ID", help="The ticket id."),
    json_output: JsonOption = False,
) -> None:
    """List a ticket's messages, oldest first.

    Example: cstar tickets messages list tkt_… --json
    """
    app = app_of(ctx, json_output=json_output)
    page = app.client().tickets.messages.list(ticket_id)
    render_list(app, page.data, MESSAGE_COLUMNS, json_output=json_output)


def messages_create(
    ctx: typer.Context,
    ticket_id: str = typer.Argument(..., metavar="TICKET_ID", help="The ticket id."),
    content: str | None = typer.Option(None, "--content", "-m", help="Message text (required)."),
    sender: Literal["agent", "customer", "system"] | None = typer.Option(
        None, "--sender", help="Who wrote it (default agent)."
    ),
    sender_name: str | None = typer.Option(None, "--sender-name", help="Display name."),
    internal: bool | None = typer.Option(
        None, "--internal/--public", help="Internal note (not shown to the customer)."
    ),
    data: list[str] | None = typer.Option(None, "--data", "-d", help=DATA_HELP),
    json_output: JsonOption = False,
) -> None:
    """Add a message to a ticket.

    Example: cstar tickets messages create tkt_… --content 'On it!' --internal
    """
    app = app_of(ctx, json_output=json_output)
    body = parse_data(data) | given(
        {"content": content, "sender": sender, "senderName": sender_name, "isInternal": internal}
    )
    message = app.client().tickets.messages.create(ticket_id, body)
    if not json_output:
        app.printer.success(f"Added message {message.get('id')} to {ticket_id}.")
    names = item_names(app, message, json_output=json_output)
    render_item(app, message, json_output=json_output, names=names)
