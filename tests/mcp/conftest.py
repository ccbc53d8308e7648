"""MCP fixtures: the SDK's in-process client on a server bound to the real session platform."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.types import CallToolResult

from cstar_cli.client.clients import AsyncCstarClient
from cstar_cli.mcp.options import ServerOptions
from cstar_cli.mcp.server import build_server
from cstar_cli.wire.protocol import MCP_USER_AGENT
from tests.support.platforms import RunningPlatform


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, remembering each request's headers (nothing is faked)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Session:
    """A connected MCP client, with helpers that unpack tool results."""

    client: Client
    transport: RecordingTransport
    options: ServerOptions

    async def tool_names(self) -> list[str]:
        return [tool.name for tool in (await self.client.list_tools()).tools]

    async def call(self, tool: str, /, **arguments: Any) -> CallToolResult:
        return await self.client.call_tool(tool, arguments)

    async def ok(self, tool: str, /, **arguments: Any) -> dict[str, Any]:
        """Call a tool that must succeed; returns its structured content."""
        result = await self.call(tool, **arguments)
        text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
        assert not result.is_error, (tool, text)
        assert isinstance(result.structured_content, dict), (tool, result)
        return result.structured_content

    async def error(self, tool: str, /, **arguments: Any) -> dict[str, Any]:
        """Call a tool that must fail with a structured error; returns ``error``."""
        result = await self.call(tool, **arguments)
        assert result.is_error, (tool, result.structured_content)
        assert isinstance(result.structured_content, dict), result
        error: dict[str, Any] = result.structured_content["error"]
        text = result.content[0].text  # type: ignore[union-attr]
        assert error["message"] in text
        if error.get("requestId"):
            assert error["requestId"] in text
        return error


Scenario = Callable[[Session], Awaitable[None]]


@dataclass
class McpRunner:
    platform: RunningPlatform
    clock: Callable[[], datetime] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def session(self, **overrides: Any) -> AsyncIterator[Session]:
        options = ServerOptions(
            api_key=self.platform.secret_key, api_base=self.platform.api_base, timeout=10
        )
        options = replace(options, **{**self.defaults, **overrides})
        transport = RecordingTransport()
        async with AsyncCstarClient(
            options.api_key,
            api_base=options.api_base,
            timeout=options.timeout,
            transport=transport,
            user_agent=MCP_USER_AGENT,
        ) as api:
            server = build_server(api, options, clock=self.clock)
            async with Client(server) as client:
                yield Session(client, transport, options)

    def run(self, scenario: Scenario, **overrides: Any) -> None:
        """Run ``scenario`` against a fresh server built with ``overrides`` of the options."""

        async def main() -> None:
            async with self.session(**overrides) as session:
                await scenario(session)

        anyio.run(main)


@pytest.fixture
def mcp_run(platform: RunningPlatform) -> McpRunner:
    return McpRunner(platform)
