"""``cstar webhooks``: manage webhook endpoints (D12), their deliveries and signing secrets;
``verify`` checks a signature offline.

A signing secret is printed in full only when it is created (``create``, ``rotate-secret``);
everywhere else it is redacted.
"""

from __future__ import annotations

import typer

from cstar_cli.cli.commands.webhooks import endpoints, verify
from cstar_cli.cli.common import command_group


def webhooks() -> None:
    """Manage webhook endpoints and their deliveries; rotate secrets, verify signatures.

    Example: cstar webhooks create --url https://example.com/hooks --events 'ticket.*'
    """


def build(name: str) -> typer.Typer:
    """The ``webhooks`` group for ``cstar_cli.main``."""
    return command_group(
        {
            "verify": verify.verify,
            "list": endpoints.webhooks_list,
            "get": endpoints.webhooks_get,
            "create": endpoints.webhooks_create,
            "update": endpoints.webhooks_update,
            "delete": endpoints.webhooks_delete,
            "test": endpoints.webhooks_test,
            "rotate-secret": endpoints.webhooks_rotate_secret,
            "deliveries": endpoints.webhooks_deliveries,
        },
        callback=webhooks,
    )
