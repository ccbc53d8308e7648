"""``cstar completion show|install [--shell]``: shell completion scripts."""

from __future__ import annotations

from typing import Any, Literal

import typer

from cstar_cli.cli.common import app_of, command_group

Shell = Literal["bash", "zsh", "fish", "powershell"]
SHELLS: tuple[str, ...] = ("bash", "zsh", "fish", "powershell")
COMPLETE_VAR = "_CSTAR_COMPLETE"


def detect_shell(shell: str | None) -> str:
    """``--shell``, else the login shell from ``$SHELL``."""
    import os

    from cstar_cli.cli.errors import UsageError

    if shell:
        return shell
    name = os.path.basename(os.environ.get("SHELL", "")).lower()
    if name in ("pwsh", "powershell"):
        return "powershell"
    if name in SHELLS:
        return name
    raise UsageError(
        "Cannot tell which shell you use.",
        "Pass --shell bash, zsh, fish or powershell.",
    )


def completion_script(shell: str, command: Any) -> str:
    """Exactly what ``_CSTAR_COMPLETE=source_<shell> cstar`` prints."""
    from typer._click import shell_completion
    from typer._completion_classes import completion_init

    completion_init()
    comp_cls = shell_completion.get_completion_class(shell)
    assert comp_cls is not None
    source: str = comp_cls(command, {}, "cstar", COMPLETE_VAR).source()
    return source + "\n"


def completion_show(
    ctx: typer.Context,
    shell: Shell | None = typer.Option(None, "--shell", help="bash, zsh, fish or powershell."),
) -> None:
    """Print the completion script for your shell.

    Example: cstar completion show --shell zsh > ~/.zfunc/_cstar
    """
    import sys

    sys.stdout.write(completion_script(detect_shell(shell), ctx.find_root().command))


def completion_install(
    ctx: typer.Context,
    shell: Shell | None = typer.Option(None, "--shell", help="bash, zsh, fish or powershell."),
) -> None:
    """Install completion for your shell (edits its startup file; restart the shell after).

    Example: cstar completion install --shell bash
    """
    from typer._completion_shared import install

    app = app_of(ctx)
    chosen = detect_shell(shell)
    installed_shell, path = install(shell=chosen, prog_name="cstar", complete_var=COMPLETE_VAR)
    app.printer.success(f"{installed_shell} completion installed in {path}.")
    app.printer.info("Restart your shell (or open a new terminal) to use it.")


def build(name: str) -> typer.Typer:
    return command_group(
        {"show": completion_show, "install": completion_install},
        help="Shell completion: show or install the script.",
    )
