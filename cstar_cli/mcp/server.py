"""The MCP server on the official SDK: registers :mod:`cstar_cli.mcp.tools` and serves stdio.

:func:`build_server` gives an ``MCPServer`` for a client (tests connect to it in-process with
``mcp.Client(server)``); :func:`serve_stdio` is what ``cstar mcp-server --stdio`` runs: it
checks the key with ``whoami`` (a refused key fails before serving), then serves until stdin
closes, SIGINT or SIGTERM. While serving, file descriptor 1 carries only protocol messages (the
SDK points fd 1 at stderr for everything else) and stdin is read by a daemon thread with
``os.read``, so a signal never waits on a blocked read.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import signal
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import anyio
import anyio.from_thread
import anyio.lowlevel
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata
from mcp.server.stdio import stdio_server
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import ValidationError

from cstar_cli import __version__
from cstar_cli.client.errors import CstarAPIError
from cstar_cli.mcp.arguments import check_names, explain
from cstar_cli.mcp.options import ServerOptions
from cstar_cli.mcp.tools import CstarTools, ToolInputError, ToolSpec, select_tools

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream

    from cstar_cli.client.clients import AsyncCstarClient

INSTRUCTIONS = """\
Tools for the cStar support platform (one team; test or live mode, see whoami).
Tickets: list_tickets (filters: status, priority, assignedTo, customerId, search, tag,
createdAfter such as "this_week" or an ISO date, createdWithin such as "7d"), get_ticket,
create_ticket, update_ticket, add_ticket_message. Customers: list_customers, get_customer,
create_customer, update_customer. Knowledge base: search_articles, get_article. Team:
list_members. Webhooks: list_events, trigger_event, list_webhooks. Debugging:
list_request_logs. Gamification: game_leaderboard, game_player, game_bosses.
Arguments are spelled as the API spells them (camelCase: ticketId, pageSize, createdAfter); an
argument a tool does not have is an error that lists the ones it accepts.
To open a ticket for a new person: create_customer, then create_ticket with its customerId.
Errors come back as tool errors with the API's code, message and requestId."""

HINTS = {
    "resource_missing": "Check the id; the list_* tools show what exists.",
    "resource_conflict": "It already exists; look it up with the matching list_* tool.",
    "publishable_key_write": "The server runs with a publishable key, which cannot write. "
    "Restart it with a secret key (cstar login --api-key sk_…).",
    "invalid_api_key": "The key was refused. The user should run `cstar login` and restart "
    "the MCP server.",
    "rate_limit_exceeded": "Wait a little and call again.",
}


def _hint(err: CstarAPIError) -> str | None:
    if err.hint:
        return err.hint
    if err.status == 404 and err.message.startswith("Unrecognized request URL"):
        return "This cStar platform does not serve that endpoint (an older version?)."
    if err.code in HINTS:
        return HINTS[err.code]
    if err.retry_after:
        return f"Wait {err.retry_after} s and call again."
    if err.type == "invalid_request_error":
        return "Fix the argument" + (f" {err.param!r}" if err.param else "") + " and call again."
    return None


def error_result(
    message: str,
    *,
    type: str,
    code: str,
    status: int | None = None,
    request_id: str | None = None,
    param: str | None = None,
    hint: str | None = None,
) -> CallToolResult:
    """A tool error: readable text for the model plus ``structuredContent.error``."""
    details = [code]
    if status is not None:
        details.append(f"HTTP {status}")
    if request_id:
        details.append(f"request {request_id}")
    text = f"{message} ({', '.join(details)})"
    if hint:
        text += f" {hint}"
    error = {
        "type": type,
        "code": code,
        "message": message,
        "status": status,
        "requestId": request_id,
        "param": param,
        "hint": hint,
    }
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content={"error": error},
        is_error=True,
    )


def api_error_result(err: CstarAPIError) -> CallToolResult:
    return error_result(
        err.message,
        type=err.type,
        code=err.code,
        status=err.status,
        request_id=err.request_id,
        param=err.param,
        hint=_hint(err),
    )


def live_write_refused(name: str) -> CallToolResult:
    return error_result(
        f"Refusing {name}: this MCP server uses a live-mode key, and writes to live data are "
        "off by default.",
        type="permission_error",
        code="live_writes_disabled",
        hint="Read tools still work. To allow writes, the user restarts the server with "
        "`cstar mcp-server --stdio --allow-live-writes` (or uses a test key).",
    )


class _SentArguments(FuncMetadata):
    """Hands a tool the arguments exactly as sent, so that :func:`_tool` checks them itself:
    the SDK's own check ignores unknown names and answers bad values with pydantic's dump."""

    def validate_arguments(self, arguments_to_validate: dict[str, Any]) -> dict[str, Any]:
        return {"arguments": dict(arguments_to_validate)}


def _tool(method: Callable[..., Awaitable[Any]], spec: ToolSpec, options: ServerOptions) -> Tool:
    """One tool: its schema and description from ``method``; when called, the live-write
    refusal, then the arguments checked (unknown names, missing or bad values), then
    ``method``, with API and input errors returned as tool errors."""
    declared = Tool.from_function(
        method,
        name=spec.name,
        title=spec.title,
        description=inspect.getdoc(method),
        annotations=ToolAnnotations(
            title=spec.title,
            read_only_hint=not spec.writes,
            destructive_hint=False,
            idempotent_hint=spec.idempotent,
            open_world_hint=False,
        ),
    )
    metadata, schema = declared.fn_metadata, declared.parameters

    async def call(arguments: dict[str, Any]) -> Any:
        if spec.writes and options.live and not options.allow_live_writes:
            return live_write_refused(spec.name)
        try:
            check_names(spec.name, arguments, schema)
            try:
                checked = metadata.validate_arguments(arguments)
            except ValidationError as err:
                raise explain(spec.name, err, arguments, schema) from None
            return await method(**checked)
        except CstarAPIError as err:
            return api_error_result(err)
        except ToolInputError as err:
            return error_result(
                err.message,
                type="invalid_request_error",
                code=err.code,
                param=err.param,
                hint=err.hint,
            )

    sent = _SentArguments(
        arg_model=metadata.arg_model,
        output_schema=metadata.output_schema,
        output_model=metadata.output_model,
        wrap_output=metadata.wrap_output,
    )
    return declared.model_copy(update={"fn": call, "fn_metadata": sent, "is_async": True})


def build_server(
    client: AsyncCstarClient,
    options: ServerOptions,
    *,
    clock: Callable[[], datetime] | None = None,
) -> CstarMCPServer:
    """An ``MCPServer`` named ``cstar`` with the tools ``options`` allow, bound to ``client``."""
    tools = CstarTools(client, options, clock=clock)
    return CstarMCPServer(
        name="cstar",
        title="cStar",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://www.cstar.help",
        log_level="INFO" if options.verbose else "WARNING",
        tools=[
            _tool(getattr(tools, spec.name), spec, options)
            for spec in select_tools(options.tools, read_only=options.read_only)
        ],
    )


class CstarMCPServer(MCPServer[Any]):
    """``MCPServer`` whose stdio transport can be stopped while stdin is still open."""

    async def serve_stdio(self) -> None:
        lines = _stdin_lines()
        stdin = cast("anyio.AsyncFile[str]", lines)
        lowlevel = self._lowlevel_server
        async with stdio_server(stdin=stdin) as (read_stream, write_stream):
            await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())


class _Lines:
    """The async iterator of stdin lines that ``stdio_server(stdin=…)`` reads."""

    def __init__(self, receive: MemoryObjectReceiveStream[str]) -> None:
        self._receive = receive

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        try:
            return await self._receive.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None


def _stdin_lines() -> _Lines:
    """Read fd 0 in a daemon thread; fd 0 itself then points at the null device.

    The SDK's own reader blocks in a worker thread that cancellation must wait for, so SIGTERM
    would hang until the client closed stdin. A daemon thread using ``os.read`` holds no lock
    the interpreter needs at exit.
    """
    fd = os.dup(0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    send, receive = anyio.create_memory_object_stream[str](0)
    token = anyio.lowlevel.current_token()

    def deliver(raw: bytes) -> None:
        anyio.from_thread.run(send.send, raw.decode("utf-8", "replace"), token=token)

    def pump() -> None:
        try:
            pending = b""
            while chunk := os.read(fd, 65536):
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for raw in complete:
                    if raw.strip():
                        deliver(raw)
            if pending.strip():
                deliver(pending)
        except Exception:  # noqa: S110 - the loop is gone or stdin broke: stop reading
            pass
        finally:
            with contextlib.suppress(Exception):  # the loop may have finished already
                anyio.from_thread.run_sync(send.close, token=token)

    threading.Thread(target=pump, name="cstar-mcp-stdin", daemon=True).start()
    return _Lines(receive)


async def serve_stdio(
    options: ServerOptions,
    client: AsyncCstarClient,
    *,
    say: Callable[[str], None],
    warn: Callable[[str], None],
    ready: Callable[[dict[str, Any], list[str]], None] | None = None,
) -> None:
    """Check the key, then serve MCP on stdio until EOF, SIGINT or SIGTERM (returns normally).

    ``client`` is the command's own (built by its context, so ``-v`` and test transports apply).
    Raises the API error when the key is refused (401/403; the command maps it to exit 4). When
    the API cannot be reached or fails, the server still starts, with a warning: tools report
    the error per call. From then on fd 0 points at the null device (see :func:`_stdin_lines`).
    """
    refused: CstarAPIError | None = None
    with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async with anyio.create_task_group() as group:

            async def stop_on_signal() -> None:
                async for signum in signals:
                    say(f"Received {signal.Signals(signum).name}; stopping the MCP server.")
                    group.cancel_scope.cancel()
                    return

            group.start_soon(stop_on_signal)
            who: dict[str, Any] = {}
            try:
                who = await client.whoami()
            except CstarAPIError as err:
                if err.status in (401, 403):
                    refused = err
                else:  # unreachable or failing: the tools report it per call until it is back
                    warn(f"{err} Serving anyway; tools report the error until the API answers.")
            if refused is None:
                server = build_server(client, options)
                if ready is not None:
                    ready(who, [tool.name for tool in await server.list_tools()])
                await server.serve_stdio()
                say("stdin closed; the MCP server stopped.")
            group.cancel_scope.cancel()
    if refused is not None:
        raise refused
