"""The root ``cstar`` command: the one explicit list of command groups, and error mapping.

Imports stay lazy: ``cstar --version`` answers before Typer is imported, and each command module
imports its heavy dependencies (httpx, uvicorn, ...) only inside the functions that need them.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NoReturn

from cstar_cli import __version__

if TYPE_CHECKING:
    import typer


def build_app() -> typer.Typer:
    """Build the root Typer app with every command group registered."""
    import typer

    from cstar_cli.commands import dev

    app = typer.Typer(
        name="cstar",
        help="The developer command line for the cStar support platform.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        version: bool = typer.Option(
            False, "--version", help="Print the cstar version and exit.", is_eager=True
        ),
    ) -> None:
        """The developer command line for the cStar support platform."""
        if version:
            print(f"cstar {__version__}")
            raise typer.Exit()

    app.command("dev")(dev.dev)
    return app


def _fail(message: str, hint: str | None, exit_code: int) -> NoReturn:
    text = f"Error: {message}"
    if hint:
        text += f"\n{hint}"
    print(text, file=sys.stderr)
    raise SystemExit(exit_code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``cstar`` console script."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        print(f"cstar {__version__}")
        return
    from cstar_cli.errors import CstarError, ExitCode

    app = build_app()
    try:
        app(args=args, prog_name="cstar", standalone_mode=True)
    except CstarError as err:
        if os.environ.get("CSTAR_DEBUG") == "1":
            raise
        _fail(err.message, err.hint, int(err.exit_code))
    except KeyboardInterrupt:
        _fail("Interrupted.", None, int(ExitCode.INTERRUPTED))
