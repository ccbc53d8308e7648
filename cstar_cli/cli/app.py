"""The root callback: global options and the AppContext every command receives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import typer

from cstar_cli import __version__
from cstar_cli.cli.context import Seams


def _print_version(value: bool) -> None:
    if value:
        print(f"cstar {__version__}")
        raise typer.Exit()


def make_root(seams: Seams | None) -> Callable[..., None]:
    """The root callback, closed over the seams tests may inject."""

    def root(
        ctx: typer.Context,
        profile: str | None = typer.Option(
            None, "--profile", "-p", help="Profile to use (env CSTAR_PROFILE; default 'default')."
        ),
        api_key: str | None = typer.Option(
            None, "--api-key", help="API key for this call (env CSTAR_API_KEY).", show_default=False
        ),
        api_base: str | None = typer.Option(
            None, "--api-base", help="API base URL (env CSTAR_API_BASE; default www.cstar.help)."
        ),
        color: Literal["auto", "always", "never"] | None = typer.Option(
            None, "--color", help="Colour output: auto, always or never (NO_COLOR is honoured)."
        ),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log each API request."),
        version: bool = typer.Option(
            False,
            "--version",
            help="Print the cstar version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ) -> None:
        """The developer command line for the cStar support platform.

        Log in once with `cstar login`, then manage tickets, customers, articles, members and
        API keys from the terminal. Add --json to any data command for scripts. Global options
        work before or after the subcommand.

        Example: cstar login --api-base http://127.0.0.1:8642 && cstar tickets list
        """
        from cstar_cli.cli.context import AppContext, GlobalOptions

        options = GlobalOptions(profile, api_key, api_base, color, verbose)
        app = AppContext(options=options, seams=seams or Seams())
        ctx.obj = app
        ctx.call_on_close(app.close)

    return root
