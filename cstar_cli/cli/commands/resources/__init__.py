"""Resource commands: ``cstar tickets|customers|articles|members|customer-groups|invites
list|get|create|update|delete``, ``cstar tickets messages list|create`` and ``cstar
customer-groups add-customers|remove-customer``.

One table of resource specs (:mod:`.specs`) drives every command: each field becomes an option
(``--title``, ``--customer-id``…), anything else can be sent with ``-d key=value``. The commands
themselves are the methods of :class:`.resource_commands.ResourceCommands`.
"""

from __future__ import annotations

import typer

from cstar_cli.cli.commands.resources.groups import groups_add_customers, groups_remove_customer
from cstar_cli.cli.commands.resources.messages import messages_create, messages_list
from cstar_cli.cli.commands.resources.resource_commands import ResourceCommands
from cstar_cli.cli.commands.resources.specs import (
    ARTICLES,
    CUSTOMER_GROUPS,
    CUSTOMERS,
    INVITES,
    MEMBERS,
    TICKETS,
)
from cstar_cli.cli.common import command_group


def build(name: str) -> typer.Typer:
    """``cstar tickets|customers|articles|members|customer-groups|invites``: one group per
    resource spec."""
    specs = (TICKETS, CUSTOMERS, ARTICLES, MEMBERS, CUSTOMER_GROUPS, INVITES)
    spec = {s.name: s for s in specs}[name]
    group = ResourceCommands(spec).group()
    if spec is TICKETS:
        messages = command_group(
            {"list": messages_list, "create": messages_create},
            help="A ticket's messages: list, create.",
        )
        group.add_typer(messages, name="messages")
    if spec is CUSTOMER_GROUPS:
        group.command("add-customers")(groups_add_customers)
        group.command("remove-customer")(groups_remove_customer)
    return group
