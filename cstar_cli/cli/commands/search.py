"""``cstar search``: tickets, customers and articles matching a text, at once (D47)."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.common import JsonOption, app_of, one_command

COLUMNS = columns(("TYPE", "object"), "id", ("TITLE / NAME", "label"), ("MATCH", "snippet"))


def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., metavar="QUERY", help="Text to find."),
    types: str | None = typer.Option(
        None, "--types", help="Comma list of tickets, customers, articles (default: all)."
    ),
    page: int = typer.Option(1, "--page", min=1, help="Page number, from 1."),
    page_size: int = typer.Option(20, "--page-size", min=1, max=100, help="Hits per page."),
    json_output: JsonOption = False,
) -> None:
    """Search tickets, customers and articles at once.

    Tickets match on their title, customers on name and email, articles on title and content;
    newest first. What a key finds follows its scope: a publishable key finds published,
    public articles only.

    Example: cstar search printer --types tickets,articles
    """
    from cstar_cli.cli.render import render_list

    app = app_of(ctx, json_output=json_output)
    params: dict[str, Any] = {"page": page, "pageSize": page_size}
    if types:
        params["types"] = types
    hits = app.client().search.query(query, params).data
    if not hits and not json_output:
        app.printer.info(f"Nothing matches {query!r}.")
        return
    rows = hits if json_output else [{**h, "label": h.get("title") or h.get("name")} for h in hits]
    render_list(app, rows, COLUMNS, json_output=json_output)


def build(_name: str) -> typer.Typer:
    return one_command(search)
