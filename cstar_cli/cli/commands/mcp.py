"""``cstar mcp-server``: the Model Context Protocol server (the SDK is imported lazily)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.common import app_of, one_command
from cstar_cli.cli.context import AppContext

if TYPE_CHECKING:
    from cstar_cli.mcp.options import ServerOptions


def resolve_options(
    app: AppContext, *, read_only: bool, tools: str | None, allow_live_writes: bool
) -> ServerOptions:
    """The server's options from the profile and global flags (same resolution as every command)."""
    from cstar_cli.mcp.options import ServerOptions

    allow = checked_tools(tools, read_only=read_only)  # unknown names fail here, before any I/O
    resolved = app.require_key()
    base, _ = app.api_base()
    team_id = None
    if resolved.from_store:
        stored = app.profile_settings().get("team_id")
        team_id = str(stored) if stored else None
    return ServerOptions(
        api_key=resolved.api_key,
        api_base=base,
        team_id=team_id,
        read_only=read_only,
        tools=allow,
        allow_live_writes=allow_live_writes,
        timeout=app.seams.timeout,
        verbose=app.options.verbose,
    )


def print_config_run(
    app: AppContext, *, read_only: bool, tools: str | None, allow_live_writes: bool
) -> dict[str, Any]:
    """The MCP client config snippet for this profile; never includes a key."""
    from cstar_cli.cli.config import passthrough_environment
    from cstar_cli.cli.errors import NotLoggedInError, UsageError
    from cstar_cli.mcp.options import client_config

    allow = checked_tools(tools, read_only=read_only)

    try:
        resolved = app.resolve_key()
    except (NotLoggedInError, UsageError):
        resolved = None
    if resolved is None or not resolved.from_store:
        flag = f" --profile {app.profile_name}" if app.profile_explicit else ""
        given = (
            f"The key from {resolved.source} is not written into the config. " if resolved else ""
        )
        app.printer.warn(
            f"{given}Profile {app.profile_name!r} has no stored key: run `cstar login{flag}` "
            "so the server finds one when the AI tool starts it."
        )
    base = app.options.api_base or app.env.api_base  # a profile's own api_base needs no flag
    return client_config(
        profile=app.profile_name if app.profile_explicit else None,
        api_base=base.rstrip("/") if base else None,
        read_only=read_only,
        tools=allow,
        allow_live_writes=allow_live_writes,
        environment=passthrough_environment(),
    )


def checked_tools(tools: str | None, *, read_only: bool) -> tuple[str, ...] | None:
    """``--tools`` as names, checked against the tools and ``--read-only`` (exit 2 if wrong)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.mcp.options import parse_tool_list
    from cstar_cli.mcp.tools import ToolSelectionError, select_tools

    allow = parse_tool_list(tools)
    try:
        select_tools(allow, read_only=read_only)
    except ToolSelectionError as err:
        raise UsageError(err.message, err.hint, code=err.code) from None
    return allow


def serve_run(app: AppContext, options: ServerOptions) -> None:
    """Serve on stdio until EOF, SIGINT or SIGTERM; diagnostics go to stderr."""
    import anyio

    from cstar_cli.mcp.server import serve_stdio

    printer = app.printer

    def ready(who: dict[str, Any], names: list[str]) -> None:
        team = f"{who.get('teamName')} ({who.get('teamId')})" if who else options.api_base
        mode = "read-only, " if options.read_only else ""
        if options.live and not options.read_only:
            mode += "live writes allowed, " if options.allow_live_writes else "live writes off, "
        printer.info(
            f"cstar MCP server ready: {team}, {options.environment} mode, {mode}"
            f"{len(names)} tools. Speaking MCP on stdin/stdout; stop with Ctrl-C."
        )
        printer.verbose("Tools: " + ", ".join(names))
        if app.stdin_isatty():
            printer.info(
                "stdin is a terminal: this server is meant to be started by an AI tool. "
                "`cstar mcp-server --print-config` prints the config to add to it."
            )

    async def main() -> None:
        from cstar_cli.wire.protocol import MCP_USER_AGENT

        async with app.async_client(user_agent=MCP_USER_AGENT) as client:
            await serve_stdio(options, client, say=printer.verbose, warn=printer.warn, ready=ready)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C before the signal handlers exist
        anyio.run(main)


def mcp_server(
    ctx: typer.Context,
    stdio: bool = typer.Option(
        True,
        "--stdio",
        help="Serve over stdin/stdout, the transport AI tools use (the default and only one; "
        "accepted so configs can say it).",
        show_default=False,
    ),
    read_only: bool = typer.Option(
        False, "--read-only", help="Expose only tools that read; no tool can change anything."
    ),
    tools: str | None = typer.Option(
        None,
        "--tools",
        metavar="A,B",
        help="Expose only these tools (comma-separated names; see the list above).",
    ),
    allow_live_writes: bool = typer.Option(
        False,
        "--allow-live-writes",
        help="Let write tools run with a live key (refused by default; reads always work).",
    ),
    print_config: bool = typer.Option(
        False,
        "--print-config",
        help="Print the JSON to add to an MCP client's config (no secrets) and exit.",
    ),
) -> None:
    """Serve the Model Context Protocol over stdio for AI tools.

    Lets Claude Code, Claude Desktop, Cursor or any MCP client list, create and update tickets
    and customers, search articles, read events, request logs and the leaderboard, and trigger
    test events, with the profile's key (or --api-key / CSTAR_API_KEY). API calls identify as
    cstar-mcp/<version>, so request logs show source=mcp. Stdout carries only the protocol;
    messages go to stderr. Exits 4 when not logged in, 0 on Ctrl-C, SIGTERM or end of input.

    Tools: whoami, list_tickets, get_ticket, create_ticket, update_ticket, add_ticket_message,
    list_customers, get_customer, create_customer, update_customer, search_articles,
    get_article, list_members, list_events, trigger_event, list_webhooks, list_request_logs,
    game_leaderboard, game_player, game_bosses. Writes: create_*, update_*, add_ticket_message,
    trigger_event (hidden by --read-only; refused with a live key unless --allow-live-writes).

    Example: cstar mcp-server --print-config   (then add the snippet to the AI tool's config)
    """
    app = app_of(ctx)
    if print_config:
        snippet = print_config_run(
            app, read_only=read_only, tools=tools, allow_live_writes=allow_live_writes
        )
        app.printer.json(snippet)
        return
    options = resolve_options(
        app, read_only=read_only, tools=tools, allow_live_writes=allow_live_writes
    )
    serve_run(app, options)


def build(name: str) -> typer.Typer:
    return one_command(mcp_server)
