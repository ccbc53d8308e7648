"""The root ``cstar`` group: global options anywhere, commands loaded lazily, errors as exit codes.

:class:`CstarGroup` is the Click group behind ``cstar``. Before parsing it moves global options
given after the subcommand to the front (:func:`hoist_global_options`) and points habits from
other CLIs at the cstar way (:func:`check_habits`); it lists and completes the commands of
:data:`cstar_cli.main.COMMANDS` without importing them, and imports one only when it runs; and
it turns every error a command raises into a message and an exit code (:meth:`CstarGroup.report`,
``docs/exit-codes.md``).

``cstar_cli.main`` imports this module only once it builds the app, so ``cstar --version``
answers before Typer is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

from typer import Abort, Exit, TyperException
from typer.core import TyperGroup

from cstar_cli.cli.errors import ErrorReport, describe
from cstar_cli.cli.polish import BadValue, polish_params, reworded_parse
from cstar_cli.cli.suggest import clock_backwards, did_you_mean, habit
from cstar_cli.main import COMMANDS, GETTING_STARTED, load_command

GLOBAL_VALUE_OPTIONS = frozenset({"--profile", "-p", "--api-key", "--api-base", "--color"})
GLOBAL_FLAGS = frozenset({"--verbose", "-v"})


class CstarGroup(TyperGroup):
    """The root group: hoists global options and maps every error to an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params = polish_params(self.params)

    # -- parsing ---------------------------------------------------------------------------------

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = hoist_global_options(list(args))
            ctx.meta["cstar.json"] = wants_json(args)
            ctx.meta["cstar.command"] = self.command_words(ctx, args)
            check_habits(args)
        try:
            result: list[str] = reworded_parse(
                lambda: super(CstarGroup, self).parse_args(ctx, args), ctx
            )
        except BrokenPipeError:  # `cstar --help | head -1`
            from cstar_cli.cli.errors import ExitCode
            from cstar_cli.cli.pipes import settle

            settle()
            raise Exit(int(ExitCode.PIPE_CLOSED)) from None
        return result

    def command_words(self, ctx: Any, args: list[str]) -> str:
        """``cstar tickets list``: the command the arguments name (for error messages)."""
        words, command = ["cstar"], self
        for arg in leading_words(args):
            if not hasattr(command, "get_command"):
                break
            try:
                command = command.get_command(ctx, arg)
            except Exception:  # a command that fails to load says so when it runs
                break
            if command is None:
                break
            words.append(arg)
        return " ".join(words)

    # -- the commands, from COMMANDS -------------------------------------------------------------

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        """The command ``name``, its module imported the first time it is asked for."""
        if name not in COMMANDS:
            return None
        if name not in self.commands:
            self.commands[name] = load_command(name)
        return self.commands[name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and not args[0].startswith("-") and args[0] not in COMMANDS:
            hint = did_you_mean(args[0], COMMANDS)
            raise BadValue(f"No such command {args[0]!r}.{hint}", ctx=ctx)
        return super().resolve_command(ctx, args)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names with their one-line help, without importing every command."""
        from typer._click.core import Command
        from typer._click.shell_completion import CompletionItem

        if incomplete[:1] == "-":
            return Command.shell_complete(self, ctx, incomplete)
        return [
            CompletionItem(name, help=spec[1])
            for name, spec in COMMANDS.items()
            if name.startswith(incomplete)
        ]

    # -- help ------------------------------------------------------------------------------------

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[1]) for name, spec in COMMANDS.items()])

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Getting started"):
            formatter.write_dl(GETTING_STARTED)

    # -- errors ----------------------------------------------------------------------------------

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, Exit):
            raise
        except Abort as exc:  # Ctrl-C at a prompt is an interruption (130), not a "no"
            if not isinstance(exc.__context__, KeyboardInterrupt):
                raise
            self.report(ctx, KeyboardInterrupt())
        except (Exception, KeyboardInterrupt) as exc:
            self.report(ctx, exc)

    def report(self, ctx: Any, exc: BaseException) -> NoReturn:
        """Print what went wrong and exit with its code (``docs/exit-codes.md``)."""
        from cstar_cli.cli.config import debug_enabled
        from cstar_cli.cli.context import AppContext
        from cstar_cli.cli.errors import ExitCode, Stopped
        from cstar_cli.cli.pipes import closed_pipe, settle

        if isinstance(exc, Stopped):  # the command said what happened already
            raise Exit(int(exc.exit_code)) from None
        if closed_pipe(exc):  # `| head -1`: the reader has what it wanted (cli/pipes.py)
            settle()
            if isinstance(ctx.obj, AppContext):
                ctx.obj.close()
            raise Exit(int(ExitCode.PIPE_CLOSED)) from None
        if debug_enabled() and not isinstance(exc, KeyboardInterrupt):
            raise exc
        command = ctx.meta.get("cstar.command")
        report = error_report(exc, command)
        app = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
        report = app.explain(report, command)
        as_json = bool(ctx.meta.get("cstar.json")) or app.printer.json_mode
        try:
            app.printer.error(report, as_json=as_json)
        finally:
            app.close()
        raise Exit(report.exit_code) from None


def error_report(exc: BaseException, command: str | None) -> ErrorReport:
    """What to say about ``exc`` and its exit code; an error nobody expected asks for a report."""
    from cstar_cli.cli.streamerrors import as_stream_error

    report = describe(as_stream_error(exc, command), command)
    if report is not None:
        return report
    return ErrorReport(
        1,
        "cli_error",
        "unexpected_error",
        f"Unexpected error ({type(exc).__name__}: {exc}).",
        "Run again with CSTAR_DEBUG=1 to see the traceback, and please report it.",
    )


# -- the arguments before parsing ---------------------------------------------------------------


PASSTHROUGH = ("dev", "exec")
"""A command whose arguments from its first one on are another command's (``cstar dev exec
pytest -v``): global options are not looked for there."""


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options found after the subcommand to the front (stops at ``--``, and
    after ``dev exec``)."""
    front: list[str] = []
    rest: list[str] = []
    words: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--" or tuple(words) == PASSTHROUGH:
            rest.extend(args[i:])
            break
        if not arg.startswith("-"):
            words.append(arg)
        if arg in GLOBAL_FLAGS or (
            arg.startswith("--") and arg.split("=", 1)[0] in GLOBAL_VALUE_OPTIONS and "=" in arg
        ):
            front.append(arg)
        elif arg in GLOBAL_VALUE_OPTIONS and i + 1 < len(args):
            front.extend((arg, args[i + 1]))
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def wants_json(args: list[str]) -> bool:
    """``--json`` among the arguments (before any ``--``, and not in ``dev exec``'s command)."""
    head = args[: args.index("--") if "--" in args else None]
    words = [arg for arg in head if not arg.startswith("-")]
    if tuple(words[:2]) == PASSTHROUGH:
        head = head[: head.index(PASSTHROUGH[1]) + 1]
    return "--json" in head


def leading_words(args: list[str]) -> Iterator[str]:
    """The words before the first option that is not global, global options and their values
    skipped: ``tickets``, ``list`` in ``-p work tickets list --json``."""
    values = iter(args)
    for arg in values:
        if arg in GLOBAL_VALUE_OPTIONS:
            next(values, None)  # its value
        elif arg in GLOBAL_FLAGS or arg.split("=", 1)[0] in GLOBAL_VALUE_OPTIONS:
            continue
        elif arg.startswith("-"):
            return
        else:
            yield arg


def check_habits(args: list[str]) -> None:
    """Point a habit from another CLI (``cstar logs tail``) at the cstar way (exit 2)."""
    words: list[str] = []
    for word in leading_words(args):
        words.append(word)
        if len(words) == 2:
            break
    found = habit(words)
    if found is not None:
        typed, ours = found
        raise BadValue(f"There is no `{typed}`; use `{ours}`.")
    if words == ["clock", "advance"]:  # `-5m` would be read as an option (-5)
        backwards = next((a for a in args if a[:1] == "-" and a[1:2].isdigit()), None)
        if backwards is not None:
            raise BadValue(clock_backwards(backwards))
