"""``cstar customer-groups add-customers|remove-customer``: who is in a group (D41)."""

from __future__ import annotations

import typer

from cstar_cli.cli.common import JsonOption, app_of
from cstar_cli.cli.render import show_written


def groups_add_customers(
    ctx: typer.Context,
    group_id: str = typer.Argument(..., metavar="GROUP_ID", help="The group id (cgr_…)."),
    customer_ids: list[str] = typer.Argument(
        ..., metavar="CUSTOMER_ID...", help="Customers to add (cus_…)."
    ),
    json_output: JsonOption = False,
) -> None:
    """Add customers to a group (ones already in it stay as they are).

    Example: cstar customer-groups add-customers cgr_… cus_… cus_…
    """
    app = app_of(ctx, json_output=json_output)
    group = app.client().customer_groups.add_customers(group_id, customer_ids)
    show_written(
        app,
        group,
        f"Group {group_id} now holds {group.get('customerCount')} customer(s).",
        json_output=json_output,
    )


def groups_remove_customer(
    ctx: typer.Context,
    group_id: str = typer.Argument(..., metavar="GROUP_ID", help="The group id (cgr_…)."),
    customer_id: str = typer.Argument(..., metavar="CUSTOMER_ID", help="The customer (cus_…)."),
    json_output: JsonOption = False,
) -> None:
    """Take one customer out of a group.

    Example: cstar customer-groups remove-customer cgr_… cus_…
    """
    app = app_of(ctx, json_output=json_output)
    group = app.client().customer_groups.remove_customer(group_id, customer_id)
    show_written(
        app, group, f"Removed {customer_id} from group {group_id}.", json_output=json_output
    )
