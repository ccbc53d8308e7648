"""The ``cstar`` entry point: the one explicit list of command groups, and ``main()``.

Imports stay lazy: ``cstar --version`` answers before Typer is imported, and each command module
imports its heavy dependencies (httpx, keyring, uvicorn, ...) only inside the functions that
need them. The root group, :class:`cstar_cli.cli.group.CstarGroup`, lets global options
(``--profile``, ``--api-key``, ``--api-base``, ``--color``, ``--verbose``) come before or after
the subcommand and turns every error a command raises into a message and an exit code
(``docs/exit-codes.md``); :func:`main` does the same for errors raised while parsing.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from cstar_cli import __version__

if TYPE_CHECKING:
    import typer

    from cstar_cli.cli.context import Seams

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
    "game": (
        "game",
        "Play the game: the leaderboard, players, SLA bosses, quests, high-fives and one-ups.",
    ),
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
    "community": ("community", "Run the community forum: topics, posts, comments and votes."),
    "csat": ("csat", "Customer satisfaction: the survey settings, the answers and their stats."),
    "sla": (
        "sla",
        "SLA reports: response and resolution within target, medians, breaches and tiers.",
    ),
    "preferences": (
        "preferences",
        "Show and change the team's preferences and each member's own.",
    ),
    "customer-groups": (
        "resources",
        "Manage customer groups (companies, accounts) and who is in them.",
    ),
    "invites": ("resources", "Invite people to the team: create, list, revoke."),
    "audit-log": ("audit", "Show the team's audit log: every write, who made it, from where."),
    "search": ("search", "Search tickets, customers and articles at once."),
}


GETTING_STARTED = (
    ("cstar dev", "run the local platform (in its own terminal)"),
    ("cstar login", "log in (finds a running `cstar dev`)"),
    ("cstar tickets list", "the team's tickets"),
    ("cstar listen -f 3000", "relay events to localhost:3000"),
    ("cstar trigger ticket.created", "fire a test event"),
    ("cstar clock advance 15m", "move the test clock forward"),
)


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


def build_app(seams: Seams | None = None) -> typer.Typer:
    """Build the root Typer app; subcommands load lazily from :data:`COMMANDS`."""
    import typer

    from cstar_cli.cli import app as root
    from cstar_cli.cli.group import CstarGroup

    app = typer.Typer(
        name="cstar",
        cls=CstarGroup,
        help="The developer command line for the cStar support platform.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root.make_root(seams))
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
    from cstar_cli.cli.pipes import settle

    status = outcome if isinstance(outcome, int) else 0
    if settle() and status == 0:  # what was still buffered found no reader (`| head -1`)
        status = int(ExitCode.PIPE_CLOSED)
    raise SystemExit(status)


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
