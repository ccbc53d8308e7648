"""``cstar mcp-server``: options, exit codes, --print-config, and the real stdio process."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from cstar_cli.mcp.options import client_config, cstar_command
from cstar_cli.mcp.tools import TOOL_NAMES
from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import RunningPlatform

ROOT = Path(__file__).resolve().parents[2]
SERVE = ["-m", "cstar_cli", "mcp-server", "--stdio"]


# -- before serving ----------------------------------------------------------------------------


def test_not_logged_in_exits_4_before_serving(cli: CliFn) -> None:
    run = cli("mcp-server", "--stdio")
    assert_clean_error(run, 4, "Not logged in", "cstar login")
    assert run.stdout == ""


def test_a_refused_key_exits_4_before_serving(cli: CliFn, platform: RunningPlatform) -> None:
    revoked_looking = "sk_test_" + "x" * 32
    run = cli(
        "mcp-server", "--stdio", "--api-base", platform.api_base, "--api-key", revoked_looking
    )
    assert_clean_error(run, 4)
    assert run.stdout == ""


def test_unknown_tool_names_exit_2_listing_the_valid_ones(cli: CliFn) -> None:
    run = cli("mcp-server", "--stdio", "--tools", "list_tickets,drop_tables")
    assert_clean_error(run, 2, "drop_tables", "Valid tools:")
    assert all(name in run.stderr for name in TOOL_NAMES)


def test_read_only_with_write_tools_exits_2(cli: CliFn) -> None:
    run = cli("mcp-server", "--stdio", "--read-only", "--tools", "whoami,create_ticket")
    assert_clean_error(run, 2, "create_ticket", "--read-only")


def test_stdio_is_the_default_transport(cli: CliFn) -> None:
    """Without --stdio it serves stdio all the same (here it stops at the missing login)."""
    assert_clean_error(cli("mcp-server"), 4, "Not logged in")


# -- --print-config --------------------------------------------------------------------------


def test_print_config_gives_a_client_snippet_without_secrets(
    cli: CliFn, platform: RunningPlatform
) -> None:
    run = cli(
        "mcp-server",
        "--print-config",
        "--profile",
        "work",
        "--read-only",
        "--api-key",
        platform.secret_key,
    )
    assert run.exit_code == 0, run.output
    config = json.loads(run.stdout)
    entry = config["mcpServers"]["cstar"]
    assert Path(entry["command"]).is_absolute()
    assert entry["args"][-5:] == ["mcp-server", "--stdio", "--profile", "work", "--read-only"]
    assert entry["env"]["CSTAR_HOME"] == os.environ["CSTAR_HOME"]
    assert platform.secret_key not in run.stdout and "sk_" not in run.stdout
    assert (
        "not written into the config" in run.stderr and "cstar login --profile work" in run.stderr
    )


def test_print_config_for_a_logged_in_profile_says_nothing_else(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    run = cli("mcp-server", "--print-config")
    assert run.exit_code == 0 and run.stderr == "", run.output
    assert json.loads(run.stdout)["mcpServers"]["cstar"]["args"][-2:] == ["mcp-server", "--stdio"]


def test_print_config_command_runs_this_cstar() -> None:
    program, prefix = cstar_command()
    assert Path(program).is_absolute()
    assert prefix in ([], ["-m", "cstar_cli"])
    fallback = cstar_command(executable="/nowhere/python3", argv0="/nowhere/cstar")
    assert fallback == (str(Path("/nowhere/python3").resolve()), ["-m", "cstar_cli"])
    snippet = client_config(
        tools=["whoami", "list_tickets"],
        api_base="http://127.0.0.1:8642",
        environment={},
        command=("/usr/bin/cstar", []),
    )
    assert snippet == {
        "mcpServers": {
            "cstar": {
                "command": "/usr/bin/cstar",
                "args": [
                    "mcp-server",
                    "--stdio",
                    "--api-base",
                    "http://127.0.0.1:8642",
                    "--tools",
                    "whoami,list_tickets",
                ],
            }
        }
    }


# -- the real process ------------------------------------------------------------------------


def server_env() -> dict[str, str]:
    """What an MCP client passes: a minimal environment plus the snippet's env."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env.update(CSTAR_HOME=os.environ["CSTAR_HOME"], CSTAR_NO_KEYRING="1", NO_COLOR="1")
    return env


def read_until(stream: IO[bytes], marker: bytes, timeout: float = 15) -> bytes:
    """Read ``stream`` until ``marker`` appears (or fail after ``timeout`` seconds)."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {marker!r}; got {seen!r}"
        if selector.select(left):
            chunk = os.read(stream.fileno(), 4096)
            assert chunk, f"stream closed before {marker!r}; got {seen!r}"
            seen += chunk
    return seen


def spawn(*extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *SERVE, *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=server_env(),
        cwd=ROOT,
    )


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "EOF"])
def test_the_process_speaks_only_protocol_on_stdout_and_exits_0(
    logged_in: RunningPlatform, how: str
) -> None:
    proc = spawn()
    try:
        banner = read_until(proc.stderr, b"ready")  # type: ignore[arg-type]
        assert b"Local Dev Team" in banner and b"test mode" in banner
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(INITIALIZE).encode() + b"\n")
        proc.stdin.flush()
        line = read_until(proc.stdout, b"\n")
        answer = json.loads(line)
        assert answer["id"] == 1 and answer["result"]["serverInfo"]["name"] == "cstar"
        if how == "EOF":
            proc.stdin.close()
        else:
            proc.send_signal(getattr(signal, how))
        assert proc.wait(timeout=10) == 0
        rest = proc.stdout.read()
        assert all(json.loads(extra) for extra in rest.splitlines())  # protocol or nothing
        errors = proc.stderr.read()  # type: ignore[union-attr]
        assert b"Traceback" not in errors
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()


def test_stdio_end_to_end_plays_the_launch_post(logged_in: RunningPlatform, tmp_path: Path) -> None:
    """ "Create a customer and open a ticket for them", then "show me all high-priority tickets
    from this week", through the real process and the SDK's stdio client."""
    params = StdioServerParameters(command=sys.executable, args=SERVE, env=server_env(), cwd=ROOT)
    email = f"launch-{uuid.uuid4().hex[:8]}@example.com"
    found: dict[str, Any] = {}

    async def main() -> None:
        with (tmp_path / "server-stderr.txt").open("w") as errlog:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                tools = {tool.name for tool in (await client.list_tools()).tools}
                assert tools == set(TOOL_NAMES)
                customer = await client.call_tool(
                    "create_customer", {"name": "Ada Lovelace", "email": email}
                )
                assert not customer.is_error, customer.content
                assert customer.structured_content is not None
                customer_id = customer.structured_content["data"]["id"]
                ticket = await client.call_tool(
                    "create_ticket",
                    {
                        "title": "Cannot log in",
                        "priority": "high",
                        "customerId": customer_id,
                        "firstMessage": "The login page spins forever.",
                    },
                )
                assert not ticket.is_error, ticket.content
                assert ticket.structured_content is not None
                found["ticket"] = ticket.structured_content["data"]
                week = await client.call_tool(
                    "list_tickets", {"priority": "high", "createdAfter": "this_week"}
                )
                assert not week.is_error, week.content
                assert week.structured_content is not None
                found["week"] = week.structured_content

    anyio.run(main)
    ticket, week = found["ticket"], found["week"]
    assert ticket["priority"] == "high" and ticket["customerName"] == "Ada Lovelace"
    assert ticket["id"] in [t["id"] for t in week["data"]]
    assert all(t["priority"] == "high" for t in week["data"])
    now = datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).strftime("%Y-%m-%d")
    assert week["query"]["createdAfter"] == f"{monday}T00:00:00.000Z"
    stderr = (tmp_path / "server-stderr.txt").read_text()
    assert "ready" in stderr and "Traceback" not in stderr
