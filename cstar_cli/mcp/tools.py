"""The MCP tools: each one is a method of :class:`CstarTools` calling :class:`AsyncCstarClient`.

A method's docstring is the tool description the agent reads, its annotated parameters become
the input schema (enums from ``Literal``, limits and help from ``Field``), named as the API spells
them (camelCase: ``ticketId``, ``pageSize``; :mod:`cstar_cli.mcp.arguments` refuses any other name
before the method runs). It returns a structured result: ``{"data", "requestId"}`` for one object
or ``{"data", "pagination", "query", "requestId"}`` for a list. API errors are raised as
:class:`cstar_cli.client.errors.CstarAPIError` and bad inputs as :class:`ToolInputError`;
:mod:`cstar_cli.mcp.server` turns both into tool errors. :data:`TOOLS` says which tools write.
No MCP SDK import here.
"""

from __future__ import annotations

from cstar_cli import __version__
from cstar_cli.mcp.timewindow import parse_time
from cstar_cli.mcp.toolkit import (
    TOOL_NAMES,
    TOOLS,
    WRITE_TOOLS,
    ItemResult,
    ToolInputError,
    ToolSelectionError,
    ToolSpec,
    select_tools,
)
from cstar_cli.mcp.tools_groups import GroupTools
from cstar_cli.mcp.tools_platform import PlatformTools
from cstar_cli.mcp.tools_reports import ReportTools
from cstar_cli.mcp.tools_support import SupportTools
from cstar_cli.wire.times import iso_datetime as iso

__all__ = [
    "TOOLS",
    "TOOL_NAMES",
    "WRITE_TOOLS",
    "CstarTools",
    "ToolInputError",
    "ToolSelectionError",
    "ToolSpec",
    "select_tools",
]


class CstarTools(SupportTools, PlatformTools, ReportTools, GroupTools):
    """Every tool, bound to one API client and the server's options."""

    # -- account ----------------------------------------------------------------------------

    async def whoami(self) -> ItemResult:
        """Show which cStar team and environment this server acts for, and what it may do.

        Returns teamId, teamName, environment (test or live), keyType, apiBase, readOnly,
        writesAllowed (false in read-only mode, or with a live key unless the server was started
        with --allow-live-writes), the team's current UTC time (now, a moved test clock's time
        in test mode, and weekStart for "this week") and the cstar version. Call it first when
        unsure which team, mode or date applies.
        """
        response = await self.client.request("GET", "/api/v1/auth/whoami")
        who = response.data if isinstance(response.data, dict) else {}
        now = await self._now()
        data = {
            **who,
            "apiBase": self.client.api_base,
            "readOnly": self.options.read_only,
            "writesAllowed": not self.options.read_only
            and (not self.options.live or self.options.allow_live_writes),
            "now": iso(now),
            "weekStart": parse_time("this_week", "weekStart", now),
            "cliVersion": __version__,
        }
        return {"data": data, "requestId": response.request_id}
