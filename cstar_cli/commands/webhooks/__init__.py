"""``cstar webhooks``: manage webhook endpoints (D12), their deliveries and signing secrets;
``verify`` checks a signature offline.

A signing secret is printed in full only when it is created (``create``, ``rotate-secret``);
everywhere else it is redacted.
"""

from __future__ import annotations

import typer

from cstar_cli.commands.webhooks import endpoints, verify

app = typer.Typer(name="webhooks", no_args_is_help=True, add_completion=False)


@app.callback()
def webhooks() -> None:
    """Manage webhook endpoints and their deliveries; rotate secrets, verify signatures.

    Example: cstar webhooks create --url https://example.com/hooks --events 'ticket.*'
    """


app.command("verify")(verify.verify)
app.command("list")(endpoints.webhooks_list)
app.command("get")(endpoints.webhooks_get)
app.command("create")(endpoints.webhooks_create)
app.command("update")(endpoints.webhooks_update)
app.command("delete")(endpoints.webhooks_delete)
app.command("test")(endpoints.webhooks_test)
app.command("rotate-secret")(endpoints.webhooks_rotate_secret)
app.command("deliveries")(endpoints.webhooks_deliveries)


def build(name: str) -> typer.Typer:
    """The ``webhooks`` group for ``cstar_cli.main``."""
    return app
