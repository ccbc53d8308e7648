"""The MCP tools: each one is a method of :class:`CstarTools` calling :class:`AsyncCstarClient`.

A method's docstring is the tool description the agent reads, its annotated parameters become
the input schema (enums from ``Literal``, limits and help from ``Field``), and it returns a
structured result: ``{"data", "requestId"}`` for one object or ``{"data", "pagination", "query",
"requestId"}`` for a list. API errors are raised as :class:`cstar_cli.api.errors.CstarAPIError`
and bad inputs as :class:`ToolInputError`; :mod:`cstar_cli.mcp.server` turns both into tool
errors. :data:`TOOLS` says which tools write. No MCP SDK import here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypedDict

from pydantic import Field

from cstar_cli import __version__
from cstar_cli.api.errors import CstarAPIError
from cstar_cli.mcp.options import ServerOptions
from cstar_cli.mcp.timewindow import TimeInputError, parse_duration, parse_time
from cstar_cli.wire.catalog import EVENT_TYPES
from cstar_cli.wire.enums import (
    ArticleStatus,
    CustomerStatus,
    HttpMethod,
    LogSource,
    Period,
    Priority,
    Role,
    Sender,
    Sentiment,
    StatusClass,
    TicketStatus,
)
from cstar_cli.wire.times import iso_datetime as iso

if TYPE_CHECKING:
    from cstar_cli.api._core import ApiResponse
    from cstar_cli.api.client import AsyncCstarClient

    EventName = str
else:
    EventName = Literal[EVENT_TYPES]  # the 35 event types of the catalogue, as an enum

TicketSort = Literal[
    "-createdAt", "createdAt", "-updatedAt", "updatedAt", "-priority", "priority", "status", "title"
]

Page = Annotated[int, Field(ge=1, description="Page number, from 1.")]
PageSize = Annotated[int, Field(ge=1, le=100, description="Items per page, 1 to 100.")]
Tags = Annotated[list[str], Field(max_length=50, description='Tags, e.g. ["vip", "billing"].')]
TicketId = Annotated[str, Field(min_length=1, description="Ticket id (tkt_…).")]
CustomerId = Annotated[str, Field(min_length=1, description="Customer id (cus_…).")]
ArticleId = Annotated[str, Field(min_length=1, description="Article id (art_…) or slug.")]
MemberRef = Annotated[str, Field(description="Team member id (mem_…); see list_members.")]

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


class ToolInputError(Exception):
    """An argument the API would not understand; the message says what to send instead."""


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


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _excerpt(article: dict[str, Any]) -> dict[str, Any]:
    content = article.get("content")
    if isinstance(content, str) and len(content) > EXCERPT_CHARS:
        return {**article, "content": content[:EXCERPT_CHARS] + "…", "contentTruncated": True}
    return article


class CstarTools:
    """The tools, bound to one API client and the server's options."""

    def __init__(
        self,
        client: AsyncCstarClient,
        options: ServerOptions,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self.options = options
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- plumbing ---------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        *parts: str,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> ApiResponse:
        path = await self.client.team_path(*parts)
        return await self.client.request(
            method, path, params=_clean(params or {}), json=dict(body) if body else None
        )

    async def _list(
        self,
        *parts: str,
        params: Mapping[str, Any],
        shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> ListResult:
        query = _clean(params)
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

    async def _item(
        self,
        method: str,
        *parts: str,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> ItemResult:
        response = await self._call(method, *parts, params=params, body=body)
        data = response.data if isinstance(response.data, dict) else {"value": response.data}
        return {"data": data, "requestId": response.request_id}

    async def _any(self, *parts: str, params: Mapping[str, Any] | None = None) -> AnyResult:
        response = await self._call("GET", *parts, params=params)
        return {"data": response.data, "requestId": response.request_id}

    def _time(self, value: str | None, param: str, *, allow_duration: bool = False) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return parse_time(value, param, self.clock(), allow_duration=allow_duration)
        except TimeInputError as err:
            raise ToolInputError(str(err)) from None

    # -- account ----------------------------------------------------------------------------

    async def whoami(self) -> ItemResult:
        """Show which cStar team and environment this server acts for, and what it may do.

        Returns teamId, teamName, environment (test or live), keyType, apiBase, readOnly,
        writesAllowed (false in read-only mode, or with a live key unless the server was started
        with --allow-live-writes), the current UTC time (now, and weekStart for "this week") and
        the cstar version. Call it first when unsure which team, mode or date applies.
        """
        response = await self.client.request("GET", "/api/v1/auth/whoami")
        who = response.data if isinstance(response.data, dict) else {}
        now = self.clock()
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

    # -- tickets ----------------------------------------------------------------------------

    async def list_tickets(
        self,
        status: Annotated[TicketStatus | None, Field(description="Only this status.")] = None,
        priority: Annotated[Priority | None, Field(description="Only this priority.")] = None,
        assigned_to: Annotated[
            str | None, Field(description="Only tickets assigned to this member (mem_…).")
        ] = None,
        customer_id: Annotated[
            str | None, Field(description="Only this customer's tickets (cus_…).")
        ] = None,
        search: Annotated[
            str | None, Field(description="Text in the title, customer name or messages.")
        ] = None,
        tag: Annotated[str | None, Field(description="Only tickets with this tag.")] = None,
        created_after: Annotated[
            str | None,
            Field(
                description="Created at or after: an ISO date/time (2026-03-02, "
                "2026-03-02T09:00:00Z) or today, yesterday, this_week, last_week, this_month."
            ),
        ] = None,
        created_before: Annotated[
            str | None, Field(description="Created before: an ISO date/time or a keyword.")
        ] = None,
        created_within: Annotated[
            str | None,
            Field(description="Created in the last 30m, 24h, 7d, 2w… (instead of created_after)."),
        ] = None,
        include_customer: Annotated[
            bool, Field(description="Inline each ticket's customer (id, name, email).")
        ] = False,
        sort: Annotated[TicketSort, Field(description="Sort order; '-' is descending.")] = (
            "-createdAt"
        ),
        page: Page = 1,
        page_size: PageSize = 20,
    ) -> ListResult:
        """List support tickets, newest first, filtered by status, priority, assignee, customer,
        text or creation time.

        Time windows are UTC. "This week" means created_after="this_week" (createdAfter = Monday
        00:00 UTC of the current week); "today" means created_after="today"; "the last 7 days"
        means created_within="7d". ISO dates work too. Example: "high-priority tickets from this
        week" → priority="high", created_after="this_week". The result's query shows the exact
        filters sent, and pagination tells whether more pages exist.
        """
        if created_within and created_after:
            raise ToolInputError("Give created_after or created_within, not both.")
        after = self._time(created_after, "created_after")
        if created_within:
            try:
                after = iso(self.clock() - parse_duration(created_within, "created_within"))
            except TimeInputError as err:
                raise ToolInputError(str(err)) from None
        params = {
            "status": status,
            "priority": priority,
            "assignedTo": assigned_to,
            "customerId": customer_id,
            "search": search,
            "tag": tag,
            "createdAfter": after,
            "createdBefore": self._time(created_before, "created_before"),
            "expand": "customer" if include_customer else None,
            "sort": sort,
            "page": page,
            "pageSize": page_size,
        }
        return await self._list("tickets", params=params)

    async def get_ticket(self, ticket_id: TicketId) -> ItemResult:
        """Get one ticket with its full message thread (replies and internal notes) and its
        customer (id, name, email)."""
        return await self._item("GET", "tickets", ticket_id, params={"expand": "customer"})

    async def create_ticket(
        self,
        title: Annotated[str, Field(min_length=1, max_length=500, description="Subject.")],
        priority: Annotated[Priority, Field(description="How urgent.")] = "normal",
        status: Annotated[TicketStatus, Field(description="Initial status.")] = "new",
        customer_id: Annotated[
            str | None,
            Field(description="The customer (cus_…); create one first with create_customer."),
        ] = None,
        customer_name: Annotated[
            str | None, Field(description="A name for a ticket without a customer record.")
        ] = None,
        assigned_to: Annotated[str | None, Field(description="Member id (mem_…).")] = None,
        tags: Tags | None = None,
        notes: Annotated[str | None, Field(description="Internal notes.")] = None,
        first_message: Annotated[
            str | None,
            Field(description="Optional first message from the customer, added to the thread."),
        ] = None,
    ) -> ItemResult:
        """Open a support ticket, optionally for a customer and with the customer's first
        message. Returns the new ticket (id tkt_…); if only the message failed, the ticket
        carries firstMessageError (do not create it again). Fires ticket.created (and
        ticket.assigned when assigned). To open a ticket for a new person, call
        create_customer first and pass its id as customer_id."""
        body = _clean(
            {
                "title": title,
                "priority": priority,
                "status": status,
                "customerId": customer_id,
                "customerName": customer_name,
                "assignedTo": assigned_to,
                "tags": tags,
                "notes": notes,
            }
        )
        result = await self._item("POST", "tickets", body=body)
        if first_message:
            ticket_id = str(result["data"]["id"])
            body = {"content": first_message, "sender": "customer", "isInternal": False}
            try:
                message = await self._item("POST", "tickets", ticket_id, "messages", body=body)
            except CstarAPIError as err:  # the ticket exists: report, don't invite a retry
                result["data"] = {
                    **result["data"],
                    "firstMessageError": {
                        "code": err.code,
                        "message": err.message,
                        "requestId": err.request_id,
                        "hint": "The ticket was created; add the message with add_ticket_message.",
                    },
                }
            else:
                result["data"] = {
                    **result["data"],
                    "messages": [message["data"]],
                    "messageCount": 1,
                }
        return result

    async def update_ticket(
        self,
        ticket_id: TicketId,
        title: Annotated[str | None, Field(min_length=1, max_length=500)] = None,
        status: Annotated[
            TicketStatus | None,
            Field(description="resolved or closed closes the ticket (fires ticket.closed)."),
        ] = None,
        priority: Priority | None = None,
        assigned_to: Annotated[
            str | None, Field(description="Member id (mem_…); an empty string unassigns.")
        ] = None,
        customer_id: Annotated[str | None, Field(description="Move to this customer.")] = None,
        tags: Annotated[list[str] | None, Field(description="Replaces all tags.")] = None,
        notes: Annotated[str | None, Field(description="Replaces the internal notes.")] = None,
    ) -> ItemResult:
        """Change a ticket's status, priority, assignee, title, customer, tags or notes. Only
        the fields given change. Returns the updated ticket. To reply to the customer, use
        add_ticket_message instead."""
        body = _clean(
            {
                "title": title,
                "status": status,
                "priority": priority,
                "customerId": customer_id,
                "tags": tags,
                "notes": notes,
            }
        )
        if assigned_to is not None:
            body["assignedTo"] = assigned_to or None
        if not body:
            raise ToolInputError("Nothing to update: give at least one field to change.")
        return await self._item("PATCH", "tickets", ticket_id, body=body)

    async def add_ticket_message(
        self,
        ticket_id: TicketId,
        content: Annotated[str, Field(min_length=1, description="The message text.")],
        sender: Annotated[
            Sender, Field(description="Who speaks: agent (a reply), customer or system.")
        ] = "agent",
        is_internal: Annotated[
            bool, Field(description="True for an internal note the customer never sees.")
        ] = False,
    ) -> ItemResult:
        """Add a message to a ticket's thread: a reply to the customer (sender agent), a note
        for the team (is_internal true), or a customer message. Fires ticket.message_added."""
        body = {"content": content, "sender": sender, "isInternal": is_internal}
        return await self._item("POST", "tickets", ticket_id, "messages", body=body)

    # -- customers --------------------------------------------------------------------------

    async def list_customers(
        self,
        status: CustomerStatus | None = None,
        sentiment: Sentiment | None = None,
        search: Annotated[str | None, Field(description="Text in the name or email.")] = None,
        tag: str | None = None,
        page: Page = 1,
        page_size: PageSize = 20,
    ) -> ListResult:
        """List customers, newest first; search by name or email (use it to find a customer's
        id before opening a ticket for them)."""
        params = {
            "status": status,
            "sentiment": sentiment,
            "search": search,
            "tag": tag,
            "page": page,
            "pageSize": page_size,
        }
        return await self._list("customers", params=params)

    async def get_customer(self, customer_id: CustomerId) -> ItemResult:
        """Get one customer: contact details, status, sentiment, tags, notes, custom fields
        and ticket count. Use list_tickets with customer_id for their tickets."""
        return await self._item("GET", "customers", customer_id)

    async def create_customer(
        self,
        name: Annotated[str, Field(min_length=1, max_length=200, description="Full name.")],
        email: Annotated[str, Field(min_length=3, max_length=254, description="Email address.")],
        status: CustomerStatus = "active",
        sentiment: Sentiment | None = None,
        tags: Tags | None = None,
        notes: Annotated[str | None, Field(description="Internal notes.")] = None,
        custom_fields: Annotated[
            dict[str, Any] | None, Field(description='Custom fields, e.g. {"plan": "pro"}.')
        ] = None,
    ) -> ItemResult:
        """Create a customer record. Returns it with its id (cus_…), to pass as customer_id to
        create_ticket. Fails with resource_conflict when the email already exists: then find the
        customer with list_customers(search=email)."""
        body = _clean(
            {
                "name": name,
                "email": email,
                "status": status,
                "sentiment": sentiment,
                "tags": tags,
                "notes": notes,
                "customFields": custom_fields,
            }
        )
        return await self._item("POST", "customers", body=body)

    async def update_customer(
        self,
        customer_id: CustomerId,
        name: Annotated[str | None, Field(min_length=1, max_length=200)] = None,
        email: str | None = None,
        status: CustomerStatus | None = None,
        sentiment: Sentiment | None = None,
        tags: Annotated[list[str] | None, Field(description="Replaces all tags.")] = None,
        notes: Annotated[str | None, Field(description="Replaces the notes.")] = None,
        custom_fields: Annotated[
            dict[str, Any] | None, Field(description="Merged into the custom fields.")
        ] = None,
    ) -> ItemResult:
        """Change a customer's name, email, status, sentiment, tags, notes or custom fields.
        Only the fields given change. Returns the updated customer."""
        body = _clean(
            {
                "name": name,
                "email": email,
                "status": status,
                "sentiment": sentiment,
                "tags": tags,
                "notes": notes,
                "customFields": custom_fields,
            }
        )
        if not body:
            raise ToolInputError("Nothing to update: give at least one field to change.")
        return await self._item("PATCH", "customers", customer_id, body=body)

    # -- articles ---------------------------------------------------------------------------

    async def search_articles(
        self,
        query: Annotated[
            str | None, Field(description="Words to find in the title or content.")
        ] = None,
        status: ArticleStatus | None = None,
        category: Annotated[str | None, Field(description="Category id or name.")] = None,
        is_public: Annotated[
            bool | None, Field(description="True: only articles in the public Library.")
        ] = None,
        tag: str | None = None,
        page: Page = 1,
        page_size: PageSize = 10,
    ) -> ListResult:
        """Search the knowledge base (help-center articles), e.g. to find an answer for a
        customer. Content is cut to an excerpt (contentTruncated true); get_article returns the
        full text."""
        params = {
            "search": query,
            "status": status,
            "category": category,
            "isPublic": is_public,
            "tag": tag,
            "page": page,
            "pageSize": page_size,
        }
        return await self._list("articles", params=params, shape=_excerpt)

    async def get_article(self, article_id: ArticleId) -> ItemResult:
        """Get one knowledge-base article with its full content."""
        return await self._item("GET", "articles", article_id)

    # -- team -------------------------------------------------------------------------------

    async def list_members(
        self,
        role: Role | None = None,
        page: Page = 1,
        page_size: PageSize = 50,
    ) -> ListResult:
        """List the team's members (agents, admins…) with their ids (mem_…), roles, level and
        XP. Use the ids for assigned_to."""
        params = {"role": role, "page": page, "pageSize": page_size}
        return await self._list("members", params=params)

    # -- events and webhooks ----------------------------------------------------------------

    async def list_events(
        self,
        type: Annotated[
            str | None,
            Field(description="An event type (ticket.created) or pattern (ticket.*)."),
        ] = None,
        since: Annotated[
            str | None,
            Field(description="At or after: ISO time, keyword (today, this_week) or 1h, 7d."),
        ] = None,
        until: Annotated[str | None, Field(description="Before: ISO time or keyword.")] = None,
        page: Page = 1,
        page_size: PageSize = 20,
    ) -> ListResult:
        """List webhook events the team emitted, newest first (what happened: ticket.created,
        customer.updated…), each with its payload. Needs a secret key."""
        params = {
            "type": type,
            "since": self._time(since, "since", allow_duration=True),
            "until": self._time(until, "until"),
            "page": page,
            "pageSize": page_size,
        }
        return await self._list("events", params=params)

    async def trigger_event(
        self,
        event: Annotated[EventName, Field(description="The event type to fire.")],
        data: Annotated[
            dict[str, Any] | None,
            Field(description="The event's data object; omit for a realistic sample."),
        ] = None,
    ) -> ItemResult:
        """Fire a synthetic test event to every active webhook and `cstar listen` session that
        subscribes to it (for testing integrations; no real ticket or customer changes).
        Returns eventId and how many endpoints it was delivered to."""
        body: dict[str, Any] = {"event": event}
        if data is not None:
            body["data"] = data
        return await self._item("POST", "webhooks", "trigger-test", body=body)

    async def list_webhooks(
        self,
        active: Annotated[bool | None, Field(description="Only active (or inactive) ones.")] = (
            None
        ),
        page: Page = 1,
        page_size: PageSize = 20,
    ) -> ListResult:
        """List the team's webhook endpoints: URL, subscribed events, active flag (signing
        secrets are never shown)."""
        params = {"active": active, "page": page, "pageSize": page_size}
        return await self._list("webhooks", params=params)

    # -- request logs -----------------------------------------------------------------------

    async def list_request_logs(
        self,
        method: HttpMethod | None = None,
        path: Annotated[
            str | None,
            Field(description="Path prefix or glob, e.g. /api/v1/teams/*/tickets."),
        ] = None,
        status: Annotated[int | None, Field(ge=100, le=599, description="Exact status.")] = None,
        status_class: Annotated[
            StatusClass | None, Field(description="4xx for client errors, 5xx for failures.")
        ] = None,
        source: Annotated[
            LogSource | None, Field(description="Who sent it: api, cli, mcp, sdk, dashboard.")
        ] = None,
        since: Annotated[
            str | None,
            Field(description="At or after: ISO time, keyword (today) or 15m, 1h, 7d."),
        ] = None,
        page_size: PageSize = 20,
    ) -> ListResult:
        """Recent API request logs, newest first: method, path, status, duration, source, error
        and request id (never bodies or full keys). Use it to debug failing integrations, e.g.
        status_class="4xx", since="1h"."""
        params = {
            "method": method,
            "path": path,
            "status": status,
            "statusClass": status_class,
            "source": source,
            "since": self._time(since, "since", allow_duration=True),
            "pageSize": page_size,
        }
        return await self._list("logs", params=params)

    # -- gamification -----------------------------------------------------------------------

    async def game_leaderboard(
        self,
        period: Annotated[
            Period, Field(description="season (all season) or week (this week).")
        ] = "season",
    ) -> AnyResult:
        """The team's gamification leaderboard: members ranked by XP, with levels and
        streaks."""
        return await self._any("game", "leaderboard", params={"period": period})

    async def game_player(
        self,
        user_id: Annotated[
            str, Field(min_length=1, description="The member's userId (usr_…), see list_members.")
        ],
    ) -> AnyResult:
        """One player's gamification state: level, XP, streak, achievements."""
        return await self._any("game", "player", params={"userId": user_id})

    async def game_bosses(self) -> AnyResult:
        """SLA bosses: active ones (tickets close to missing their SLA) and recent defeats."""
        return await self._any("game", "bosses")
