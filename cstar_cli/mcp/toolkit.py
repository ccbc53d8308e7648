"""The MCP tools' shared parts: their specs, argument types, results and the calls beneath them.

:class:`ToolBase` holds the plumbing every tool uses (one API call, a list, an item, a time
argument); the tools themselves are methods of :class:`cstar_cli.mcp.tools.CstarTools`.
No MCP SDK import here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypedDict, Unpack

from pydantic import Field

from cstar_cli.mcp.options import ServerOptions
from cstar_cli.mcp.timewindow import TimeInputError, is_relative, parse_time
from cstar_cli.wire.catalog import EVENT_TYPES

if TYPE_CHECKING:
    from cstar_cli.client.clients import AsyncCstarClient
    from cstar_cli.client.requests import ApiResponse

    EventName = str
else:
    EventName = Literal[EVENT_TYPES]  # the 35 event types of the catalogue, as an enum

TicketSort = Literal[
    "-createdAt", "createdAt", "-updatedAt", "updatedAt", "-priority", "priority", "status", "title"
]

Page = Annotated[int, Field(ge=1, description="Page number, from 1.")]
PageSize = Annotated[int, Field(ge=1, le=100, description="Items per page, 1 to 100.")]
Since = Annotated[
    str | None, Field(description="At or after: ISO time, keyword (today) or 15m, 1h, 7d.")
]
Tags = Annotated[list[str], Field(max_length=50, description='Tags, e.g. ["vip", "billing"].')]
TicketId = Annotated[str, Field(min_length=1, description="Ticket id (tkt_…).")]
CustomerId = Annotated[str, Field(min_length=1, description="Customer id (cus_…).")]
ArticleId = Annotated[str, Field(min_length=1, description="Article id (art_…) or slug.")]

EXCERPT_CHARS = 400


class ListResult(TypedDict):
    """One page of a list."""

    data: list[dict[str, Any]]
    pagination: dict[str, Any] | None
    query: dict[str, Any]
    """The query sent to the API, with times resolved (e.g. createdAfter for this_week)."""
    requestId: str | None


class ItemResult(TypedDict):
    """One object."""

    data: dict[str, Any]
    requestId: str | None


class AnyResult(TypedDict):
    """An answer whose shape the API defines (game state)."""

    data: Any
    requestId: str | None


class ToolRequest(TypedDict, total=False):
    """What a tool sends besides the method and the path: a query (None values left out) and
    a JSON body."""

    params: Mapping[str, Any] | None
    body: Mapping[str, Any] | None


class ToolInputError(Exception):
    """An argument the tool or the API would not understand; the message says what to send.

    ``code`` is ``invalid_argument``, ``missing_argument`` or ``unknown_argument``; ``param``
    names the argument when there is one; ``hint`` says what the tool accepts.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_argument",
        param: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.hint = hint


@dataclass(frozen=True)
class ToolSpec:
    """How one tool is exposed."""

    name: str
    title: str
    writes: bool = False
    idempotent: bool = True
    """For writes: calling again with the same arguments changes nothing more."""


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("whoami", "Connection status"),
    ToolSpec("list_tickets", "List tickets"),
    ToolSpec("get_ticket", "Get a ticket"),
    ToolSpec("create_ticket", "Create a ticket", writes=True, idempotent=False),
    ToolSpec("update_ticket", "Update a ticket", writes=True),
    ToolSpec("add_ticket_message", "Add a message to a ticket", writes=True, idempotent=False),
    ToolSpec("list_customers", "List customers"),
    ToolSpec("get_customer", "Get a customer"),
    ToolSpec("create_customer", "Create a customer", writes=True, idempotent=False),
    ToolSpec("update_customer", "Update a customer", writes=True),
    ToolSpec("search_articles", "Search knowledge-base articles"),
    ToolSpec("get_article", "Get an article"),
    ToolSpec("list_members", "List team members"),
    ToolSpec("list_events", "List webhook events"),
    ToolSpec("trigger_event", "Trigger a test event", writes=True, idempotent=False),
    ToolSpec("list_webhooks", "List webhook endpoints"),
    ToolSpec("list_request_logs", "Recent API request logs"),
    ToolSpec("game_leaderboard", "Gamification leaderboard"),
    ToolSpec("game_player", "A player's gamification state"),
    ToolSpec("game_bosses", "Active SLA bosses"),
    ToolSpec("list_community_topics", "List community topics"),
    ToolSpec("list_community_posts", "List community posts"),
    ToolSpec("get_community_post", "Get a community post"),
    ToolSpec("list_community_comments", "List a community post's comments"),
    ToolSpec("list_csat_surveys", "List CSAT survey answers"),
    ToolSpec("csat_stats", "CSAT stats"),
    ToolSpec("sla_metrics", "SLA metrics"),
    ToolSpec("game_quests", "Daily and weekly quests"),
    ToolSpec("get_preferences", "Team or member preferences"),
    ToolSpec("list_customer_groups", "List customer groups"),
    ToolSpec("get_customer_group", "Get a customer group"),
    ToolSpec("list_audit_log", "The audit log"),
    ToolSpec("search", "Search tickets, customers and articles"),
)
TOOL_NAMES: tuple[str, ...] = tuple(spec.name for spec in TOOLS)
WRITE_TOOLS: frozenset[str] = frozenset(spec.name for spec in TOOLS if spec.writes)


class ToolSelectionError(ValueError):
    """``--tools`` names a tool that doesn't exist, or a write tool with ``--read-only``."""

    def __init__(self, message: str, hint: str, *, code: str = "unknown_tool") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


def select_tools(allow: tuple[str, ...] | None, *, read_only: bool) -> list[ToolSpec]:
    """The tools to register: the allow-list (if any), minus writes in read-only mode.

    Unknown names, and write tools named together with ``--read-only``, raise
    :class:`ToolSelectionError` (the command reports it as a usage error).
    """
    if allow is not None:
        unknown = [name for name in allow if name not in TOOL_NAMES]
        if unknown:
            raise ToolSelectionError(
                f"Unknown tool name{'s' if len(unknown) > 1 else ''} in --tools: "
                f"{', '.join(unknown)}.",
                "Valid tools: " + ", ".join(TOOL_NAMES) + ".",
            )
        if read_only:
            writers = [name for name in allow if name in WRITE_TOOLS]
            if writers:
                raise ToolSelectionError(
                    f"--read-only conflicts with write tools in --tools: {', '.join(writers)}.",
                    "Drop them from --tools, or drop --read-only. Read-only tools: "
                    + ", ".join(n for n in TOOL_NAMES if n not in WRITE_TOOLS)
                    + ".",
                    code="read_only_conflict",
                )
    return [
        spec
        for spec in TOOLS
        if (allow is None or spec.name in allow) and not (read_only and spec.writes)
    ]


def clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def excerpt(article: dict[str, Any]) -> dict[str, Any]:
    content = article.get("content")
    if isinstance(content, str) and len(content) > EXCERPT_CHARS:
        return {**article, "content": content[:EXCERPT_CHARS] + "…", "contentTruncated": True}
    return article


class ToolBase:
    """The tools' plumbing, bound to one API client and the server's options."""

    def __init__(
        self,
        client: AsyncCstarClient,
        options: ServerOptions,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self.options = options
        self.clock = clock
        """What "now" is for time windows; the team's time (D37) when not given."""

    # -- plumbing ---------------------------------------------------------------------------

    async def _call(self, method: str, *parts: str, **sent: Unpack[ToolRequest]) -> ApiResponse:
        path = await self.client.team_path(*parts)
        body = sent.get("body")
        return await self.client.request(
            method, path, params=clean(sent.get("params") or {}), json=dict(body) if body else None
        )

    async def _list(
        self,
        *parts: str,
        params: Mapping[str, Any],
        shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> ListResult:
        query = clean(params)
        response = await self._call("GET", *parts, params=query)
        items = response.data if isinstance(response.data, list) else []
        data = [shape(item) if shape else item for item in items if isinstance(item, dict)]
        pagination = response.pagination.as_json() if response.pagination else None
        return {
            "data": data,
            "pagination": pagination,
            "query": query,
            "requestId": response.request_id,
        }

    async def _item(self, method: str, *parts: str, **sent: Unpack[ToolRequest]) -> ItemResult:
        response = await self._call(method, *parts, **sent)
        data = response.data if isinstance(response.data, dict) else {"value": response.data}
        return {"data": data, "requestId": response.request_id}

    async def _any(self, *parts: str, params: Mapping[str, Any] | None = None) -> AnyResult:
        response = await self._call("GET", *parts, params=params)
        return {"data": response.data, "requestId": response.request_id}

    async def _now(self) -> datetime:
        """The team's time: a test key's team may have moved its test clock, and "this week" or
        "the last hour" count from it (D37)."""
        if self.clock is not None:
            return self.clock()
        return datetime.fromtimestamp(await self.client.team_now(), UTC)

    async def _window(self, since: str | None, until: str | None = None) -> dict[str, str | None]:
        """``since`` (a duration counts back from the team's time too) and ``until`` in the
        API's form: the window of a list or a report."""
        return {
            "since": await self._time(since, "since", allow_duration=True),
            "until": await self._time(until, "until"),
        }

    async def _time(
        self, value: str | None, param: str, *, allow_duration: bool = False
    ) -> str | None:
        """A time argument in the API's form; a keyword or duration counts from the team's time
        (asked only once the value is known to be good: a bad one never reaches the API)."""
        if value is None or not value.strip():
            return None
        try:
            moment = parse_time(value, param, datetime.now(UTC), allow_duration=allow_duration)
            if is_relative(value, allow_duration=allow_duration):
                moment = parse_time(value, param, await self._now(), allow_duration=allow_duration)
        except TimeInputError as err:
            raise ToolInputError(str(err), param=param) from None
        return moment
