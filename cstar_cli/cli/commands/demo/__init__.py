"""``cstar demo``: see the whole webhook loop work, on your machine, in seconds."""

from __future__ import annotations

import typer

from cstar_cli.cli.common import app_of, one_command


def demo(ctx: typer.Context) -> None:
    """Show the whole loop: a local platform, a verifying receiver, listen, and real events.

    Starts a throwaway platform in memory, listens, creates a customer and an urgent ticket,
    moves the test clock until an SLA boss spawns, closes the ticket to defeat it, shows each
    event arrive with a verified signature, then stops everything. Your config and keys are
    never touched.

    Example: cstar demo
    """
    from cstar_cli.cli.commands.demo.run import run_demo

    app = app_of(ctx)
    ok = run_demo(lambda line: app.printer.text(line, reveal=True))
    if not ok:
        app.printer.warn(
            "The demo did not complete. Run it again with CSTAR_DEBUG=1 and report it."
        )
        raise typer.Exit(1)
    app.printer.success("Demo complete. Next: `cstar dev` in one terminal, `cstar login`, then")
    app.printer.info(
        "`cstar listen --forward-to localhost:3000/webhooks` to relay to your own app."
    )


def build(name: str) -> typer.Typer:
    return one_command(demo)
