"""Resource commands: ``cstar tickets|customers|articles|members list|get|create|update|delete``
and ``cstar tickets messages list|create``.

One table of resource specs (:mod:`.specs`) drives every command: each field becomes an option
(``--title``, ``--customer-id``…), anything else can be sent with ``-d key=value``. The commands
themselves are the methods of :class:`.resource_commands.ResourceCommands`.
"""

from __future__ import annotations

import typer

from cstar_cli.cli.commands.resources.messages import messages_create, messages_list
from cstar_cli.cli.commands.resources.resource_commands import ResourceCommands
from cstar_cli.cli.commands.resources.specs import ARTICLES, CUSTOMERS, MEMBERS, TICKETS
from cstar_cli.cli.common import command_group


def build(name: str) -> typer.Typer:
    """``cstar tickets|customers|articles|members``: one group per resource spec."""
    spec = {s.name: s for s in (TICKETS, CUSTOMERS, ARTICLES, MEMBERS)}[name]
    group = ResourceCommands(spec).group()
    if spec is TICKETS:
        messages = command_group(
            {"list": messages_list, "create": messages_create},
            help="A ticket's messages: list, create.",
        )
        group.add_typer(messages, name="messages")
    return group
