"""The root ``cstar`` command: the one explicit list of command groups, and error mapping.

Imports stay lazy: ``cstar --version`` answers before Typer is imported, and each command module
imports its heavy dependencies (httpx, keyring, uvicorn, ...) only inside the functions that
need them. Global options (``--profile``, ``--api-key``, ``--api-base``, ``--color``,
``--verbose``) may come before or after the subcommand: :class:`CstarGroup` moves them to the
front before parsing. Every error is turned into a message and an exit code in
:meth:`CstarGroup.invoke` (``docs/exit-codes.md``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from cstar_cli import __version__

if TYPE_CHECKING:
    import typer

    from cstar_cli.cli.context import Services

GLOBAL_VALUE_OPTIONS = frozenset({"--profile", "-p", "--api-key", "--api-base", "--color"})
GLOBAL_FLAGS = frozenset({"--verbose", "-v"})


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
    head = args[: args.index("--")] if "--" in args else args
    words = [arg for arg in head if not arg.startswith("-")]
    if tuple(words[:2]) == PASSTHROUGH:
        head = head[: head.index(PASSTHROUGH[1]) + 1]
    return "--json" in head


def _group_class() -> type[Any]:
    from typer import Abort, Exit, TyperException
    from typer.core import TyperGroup

    from cstar_cli.cli.errors import ErrorReport, describe
    from cstar_cli.cli.polish import BadValue, polish_params, reworded_parse

    class CstarGroup(TyperGroup):
        """The root group: hoists global options and maps every error to an exit code."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.params = polish_params(self.params)

        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
            if ctx.parent is None:
                args = hoist_global_options(list(args))
                ctx.meta["cstar.json"] = wants_json(args)
                ctx.meta["cstar.command"] = self.command_words(ctx, args)
                check_habits(args)
            result: list[str] = reworded_parse(
                lambda: super(CstarGroup, self).parse_args(ctx, args), ctx
            )
            return result

        def resolve_command(self, ctx: Any, args: list[str]) -> Any:
            from cstar_cli.cli.suggest import did_you_mean

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

        def format_epilog(self, ctx: Any, formatter: Any) -> None:
            with formatter.section("Getting started"):
                formatter.write_dl(GETTING_STARTED)

        def command_words(self, ctx: Any, args: list[str]) -> str:
            """``cstar tickets list``: the command the arguments name (for error messages)."""
            words, command = ["cstar"], self
            values = iter(args)
            for arg in values:
                if arg in GLOBAL_VALUE_OPTIONS:
                    next(values, None)  # hoisted to the front with its value
                    continue
                if arg in GLOBAL_FLAGS or arg.split("=", 1)[0] in GLOBAL_VALUE_OPTIONS:
                    continue
                if arg.startswith("-") or not hasattr(command, "get_command"):
                    break
                try:
                    command = command.get_command(ctx, arg)
                except Exception:  # a command that fails to load says so when it runs
                    break
                if command is None:
                    break
                words.append(arg)
            return " ".join(words)

        def list_commands(self, ctx: Any) -> list[str]:
            return list(COMMANDS)

        def get_command(self, ctx: Any, name: str) -> Any:
            if name not in COMMANDS:
                return None
            if name not in self.commands:
                self.commands[name] = load_command(name)
            return self.commands[name]

        def format_commands(self, ctx: Any, formatter: Any) -> None:
            with formatter.section("Commands"):
                formatter.write_dl([(name, spec[1]) for name, spec in COMMANDS.items()])

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
            from cstar_cli.cli.errors import Stopped
            from cstar_cli.cli.streamerrors import as_stream_error

            if isinstance(exc, Stopped):  # the command said what happened already
                raise Exit(int(exc.exit_code)) from None
            if debug_enabled() and not isinstance(exc, KeyboardInterrupt):
                raise exc
            command = ctx.meta.get("cstar.command")
            report = describe(as_stream_error(exc, command), command)
            if report is None:
                report = ErrorReport(
                    1,
                    "cli_error",
                    "unexpected_error",
                    f"Unexpected error ({type(exc).__name__}: {exc}).",
                    "Run again with CSTAR_DEBUG=1 to see the traceback, and please report it.",
                )
            from cstar_cli.cli.context import AppContext

            app = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
            report = app.explain(report, command)
            as_json = bool(ctx.meta.get("cstar.json")) or app.printer.json_mode
            try:
                app.printer.error(report, as_json=as_json)
            finally:
                app.close()
            raise Exit(report.exit_code) from None

    return CstarGroup


# The one explicit list of top-level commands: name -> (module, one-line help). Every module
# registers the same way: ``build(name)`` returns the Typer app of that command.
# Modules are imported only when their command runs, so `cstar --help` stays fast; a test checks
# that each one-line help matches the command's own docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "demo",
        "Show the whole loop: a local platform, a verifying receiver, listen, and real events.",
    ),
    "dev": (
        "dev",
        "Run the local cStar platform: the full API, on your machine, backed by SQLite.",
    ),
    "login": ("login", "Log in: check an API key against the API and store it for the profile."),
    "logout": (
        "login",
        "Log out: forget the profile's stored API key (or every profile's with --all).",
    ),
    "status": (
        "login",
        "Show the profile, API base, team, environment, key (redacted) and check the API.",
    ),
    "config": ("config", "Read and write profile settings in $CSTAR_HOME/config.toml."),
    "listen": (
        "listen",
        "Relay webhook events to local URLs, signed, in order, without losing any.",
    ),
    "trigger": (
        "trigger",
        "Fire a test event at your webhooks and listen sessions, or run a fixture.",
    ),
    "events": (
        "events",
        "Browse events as delivered, stream them live, see their deliveries, and resend them.",
    ),
    "webhooks": (
        "webhooks",
        "Manage webhook endpoints and their deliveries; rotate secrets, verify signatures.",
    ),
    "logs": ("logs", "Show the team's API request log: recent entries, or live with --tail."),
    "keys": ("keys", "Manage API keys: create, list, get, revoke, roll."),
    "tickets": ("resources", "Manage tickets and their messages."),
    "customers": ("resources", "Manage customers."),
    "articles": ("resources", "Manage knowledge-base articles."),
    "members": ("resources", "Manage team members."),
    "game": ("game", "Play the game: the leaderboard, a player's stats and the SLA bosses."),
    "clock": (
        "clock",
        "Move the team's test clock to exercise SLAs, bosses and streaks (test mode only).",
    ),
    "open": (
        "open",
        "Open the local inspector of the platform the profile points at, in a browser.",
    ),
    "get": ("raw", "Send a raw GET to the API."),
    "post": ("raw", "Send a raw POST to the API."),
    "patch": ("raw", "Send a raw PATCH to the API."),
    "delete": ("raw", "Send a raw DELETE to the API."),
    "identity": ("identity", "Sign customer identities (identity verification)."),
    "mcp-server": ("mcp", "Serve the Model Context Protocol over stdio for AI tools."),
    "completion": ("completion", "Shell completion: show or install the script."),
}


GETTING_STARTED = (
    ("cstar dev", "run the local platform (in its own terminal)"),
    ("cstar login", "log in (finds a running `cstar dev`)"),
    ("cstar tickets list", "the team's tickets"),
    ("cstar listen -f 3000", "relay events to localhost:3000"),
    ("cstar trigger ticket.created", "fire a test event"),
    ("cstar clock advance 15m", "move the test clock forward"),
)


def check_habits(args: list[str]) -> None:
    """Point a habit from another CLI (``cstar logs tail``) at the cstar way (exit 2)."""
    from cstar_cli.cli.suggest import habit

    words: list[str] = []
    values = iter(args)
    for arg in values:
        if arg in GLOBAL_VALUE_OPTIONS:
            next(values, None)
        elif arg.startswith("-"):
            if arg not in GLOBAL_FLAGS and arg.split("=", 1)[0] not in GLOBAL_VALUE_OPTIONS:
                break
        else:
            words.append(arg)
            if len(words) == 2:
                break
    found = habit(words)
    if found is not None:
        from cstar_cli.cli.polish import BadValue

        typed, ours = found
        raise BadValue(f"There is no `{typed}`; use `{ours}`.")


def load_command(name: str) -> Any:
    """Import one command's module and turn ``build(name)`` into a click command."""
    import importlib

    from typer.main import get_command

    from cstar_cli.cli.polish import polish

    module_name, _ = COMMANDS[name]
    module = importlib.import_module(f"cstar_cli.cli.commands.{module_name}")
    group = module.build(name)
    group.rich_markup_mode = None
    command = get_command(group)
    command.name = name
    return polish(command, name)


def build_app(services: Services | None = None) -> typer.Typer:
    """Build the root Typer app; subcommands load lazily from :data:`COMMANDS`."""
    import typer

    from cstar_cli.cli import app as root

    app = typer.Typer(
        name="cstar",
        cls=_group_class(),
        help="The developer command line for the cStar support platform.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root.make_root(services))
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``cstar`` console script."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        print(f"cstar {__version__}")
        return
    from typer import Abort, TyperException

    from cstar_cli.cli.errors import CstarError, ExitCode

    if "_CSTAR_COMPLETE" in os.environ:  # shell completion (`_CSTAR_COMPLETE=source_bash cstar`)
        from typer._completion_classes import completion_init

        completion_init()
    app = build_app()
    try:
        outcome = app(args=args, prog_name="cstar", standalone_mode=False)
    except TyperException as err:  # the parser's own usage errors (bad option values…)
        _usage_error(err, as_json="--json" in args[: args.index("--") if "--" in args else None])
    except Abort as abort:
        interrupted = isinstance(abort.__context__, KeyboardInterrupt)
        print("Interrupted." if interrupted else "Aborted.", file=sys.stderr)
        code = ExitCode.INTERRUPTED if interrupted else ExitCode.ERROR
        raise SystemExit(int(code)) from None
    except CstarError as err:  # raised outside a command (e.g. while parsing global options)
        from cstar_cli.cli.config import debug_enabled

        if debug_enabled():
            raise
        text = f"Error: {err.message}" + (f"\n{err.hint}" if err.hint else "")
        print(text, file=sys.stderr)
        raise SystemExit(int(err.exit_code)) from None
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
    raise SystemExit(outcome if isinstance(outcome, int) else 0)


def _usage_error(err: Exception, *, as_json: bool) -> NoReturn:
    """Report a command-line error (exit 2): as ``{"error": …}`` on stderr with ``--json``."""
    code = int(getattr(err, "exit_code", 2))
    if as_json:
        import json

        message = err.format_message() if hasattr(err, "format_message") else str(err)
        error = {"type": "usage_error", "code": "usage", "message": message, "requestId": None}
        print(json.dumps({"error": error}), file=sys.stderr)
    elif hasattr(err, "show"):
        err.show()
    else:
        print(f"Error: {err}", file=sys.stderr)
    raise SystemExit(code)
