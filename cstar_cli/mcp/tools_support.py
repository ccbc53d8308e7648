"""The MCP tools of a support desk: tickets and their messages, customers, articles, members."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cstar_cli.client.errors import CstarAPIError
from cstar_cli.mcp.timewindow import TimeInputError, parse_duration
from cstar_cli.mcp.toolkit import (
    ArticleId,
    CustomerId,
    ItemResult,
    ListResult,
    Page,
    PageSize,
    Tags,
    TicketId,
    TicketSort,
    ToolBase,
    ToolInputError,
    clean,
    excerpt,
)
from cstar_cli.wire.enums import (
    ArticleStatus,
    CustomerStatus,
    Priority,
    Role,
    Sender,
    Sentiment,
    TicketStatus,
)
from cstar_cli.wire.times import iso_datetime as iso


def _customer_body(
    name: str | None,
    email: str | None,
    status: str | None,
    sentiment: str | None,
    tags: list[str] | None,
    notes: str | None,
    custom_fields: dict[str, Any] | None,
) -> dict[str, Any]:
    """A customer write as the wire spells it, the fields not given left out."""
    return clean(
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


class SupportTools(ToolBase):
    """Tickets, customers, the knowledge base and the team."""

    # -- tickets ----------------------------------------------------------------------------

    async def list_tickets(
        self,
        status: Annotated[TicketStatus | None, Field(description="Only this status.")] = None,
        priority: Annotated[Priority | None, Field(description="Only this priority.")] = None,
        assignedTo: Annotated[
            str | None, Field(description="Only tickets assigned to this member (mem_…).")
        ] = None,
        customerId: Annotated[
            str | None, Field(description="Only this customer's tickets (cus_…).")
        ] = None,
        search: Annotated[
            str | None, Field(description="Text in the title, customer name or messages.")
        ] = None,
        tag: Annotated[str | None, Field(description="Only tickets with this tag.")] = None,
        createdAfter: Annotated[
            str | None,
            Field(
                description="Created at or after: an ISO date/time (2026-03-02, "
                "2026-03-02T09:00:00Z) or today, yesterday, this_week, last_week, this_month."
            ),
        ] = None,
        createdBefore: Annotated[
            str | None, Field(description="Created before: an ISO date/time or a keyword.")
        ] = None,
        createdWithin: Annotated[
            str | None,
            Field(description="Created in the last 30m, 24h, 7d, 2w… (instead of createdAfter)."),
        ] = None,
        includeCustomer: Annotated[
            bool, Field(description="Inline each ticket's customer (id, name, email).")
        ] = False,
        sort: Annotated[TicketSort, Field(description="Sort order; '-' is descending.")] = (
            "-createdAt"
        ),
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """List support tickets, newest first, filtered by status, priority, assignee, customer,
        text or creation time.

        Time windows are UTC. "This week" means createdAfter="this_week" (Monday 00:00 UTC of
        the current week); "today" means createdAfter="today"; "the last 7 days"
        means createdWithin="7d". ISO dates work too. Example: "high-priority tickets from this
        week" → priority="high", createdAfter="this_week". The result's query shows the exact
        filters sent, and pagination tells whether more pages exist.
        """
        if createdWithin and createdAfter:
            raise ToolInputError("Give createdAfter or createdWithin, not both.")
        after = await self._time(createdAfter, "createdAfter")
        if createdWithin:
            try:
                within = parse_duration(createdWithin, "createdWithin")
                after = iso(await self._now() - within)
            except TimeInputError as err:
                raise ToolInputError(str(err)) from None
        params = {
            "status": status,
            "priority": priority,
            "assignedTo": assignedTo,
            "customerId": customerId,
            "search": search,
            "tag": tag,
            "createdAfter": after,
            "createdBefore": await self._time(createdBefore, "createdBefore"),
            "expand": "customer" if includeCustomer else None,
            "sort": sort,
            "page": page,
            "pageSize": pageSize,
        }
        return await self._list("tickets", params=params)

    async def get_ticket(self, ticketId: TicketId) -> ItemResult:
        """Get one ticket with its full message thread (replies and internal notes) and its
        customer (id, name, email)."""
        return await self._item("GET", "tickets", ticketId, params={"expand": "customer"})

    async def create_ticket(
        self,
        title: Annotated[str, Field(min_length=1, max_length=500, description="Subject.")],
        priority: Annotated[Priority, Field(description="How urgent.")] = "normal",
        status: Annotated[TicketStatus, Field(description="Initial status.")] = "new",
        customerId: Annotated[
            str | None,
            Field(description="The customer (cus_…); create one first with create_customer."),
        ] = None,
        customerName: Annotated[
            str | None, Field(description="A name for a ticket without a customer record.")
        ] = None,
        assignedTo: Annotated[str | None, Field(description="Member id (mem_…).")] = None,
        tags: Tags | None = None,
        notes: Annotated[str | None, Field(description="Internal notes.")] = None,
        firstMessage: Annotated[
            str | None,
            Field(description="Optional first message from the customer, added to the thread."),
        ] = None,
    ) -> ItemResult:
        """Open a support ticket, optionally for a customer and with the customer's first
        message. Returns the new ticket (id tkt_…); if only the message failed, the ticket
        carries firstMessageError (do not create it again). Fires ticket.created (and
        ticket.assigned when assigned). To open a ticket for a new person, call
        create_customer first and pass its id as customerId."""
        body = clean(
            {
                "title": title,
                "priority": priority,
                "status": status,
                "customerId": customerId,
                "customerName": customerName,
                "assignedTo": assignedTo,
                "tags": tags,
                "notes": notes,
            }
        )
        result = await self._item("POST", "tickets", body=body)
        if firstMessage:
            ticket_id = str(result["data"]["id"])
            body = {"content": firstMessage, "sender": "customer", "isInternal": False}
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
        ticketId: TicketId,
        title: Annotated[str | None, Field(min_length=1, max_length=500)] = None,
        status: Annotated[
            TicketStatus | None,
            Field(description="resolved or closed closes the ticket (fires ticket.closed)."),
        ] = None,
        priority: Priority | None = None,
        assignedTo: Annotated[
            str | None, Field(description="Member id (mem_…); an empty string unassigns.")
        ] = None,
        customerId: Annotated[str | None, Field(description="Move to this customer.")] = None,
        tags: Annotated[list[str] | None, Field(description="Replaces all tags.")] = None,
        notes: Annotated[str | None, Field(description="Replaces the internal notes.")] = None,
    ) -> ItemResult:
        """Change a ticket's status, priority, assignee, title, customer, tags or notes. Only
        the fields given change. Returns the updated ticket. To reply to the customer, use
        add_ticket_message instead."""
        body = clean(
            {
                "title": title,
                "status": status,
                "priority": priority,
                "customerId": customerId,
                "tags": tags,
                "notes": notes,
            }
        )
        if assignedTo is not None:
            body["assignedTo"] = assignedTo or None
        if not body:
            raise ToolInputError("Nothing to update: give at least one field to change.")
        return await self._item("PATCH", "tickets", ticketId, body=body)

    async def add_ticket_message(
        self,
        ticketId: TicketId,
        content: Annotated[str, Field(min_length=1, description="The message text.")],
        sender: Annotated[
            Sender, Field(description="Who speaks: agent (a reply), customer or system.")
        ] = "agent",
        isInternal: Annotated[
            bool, Field(description="True for an internal note the customer never sees.")
        ] = False,
    ) -> ItemResult:
        """Add a message to a ticket's thread: a reply to the customer (sender agent), a note
        for the team (isInternal true), or a customer message. Fires ticket.message_added."""
        body = {"content": content, "sender": sender, "isInternal": isInternal}
        return await self._item("POST", "tickets", ticketId, "messages", body=body)

    # -- customers --------------------------------------------------------------------------

    async def list_customers(
        self,
        status: CustomerStatus | None = None,
        sentiment: Sentiment | None = None,
        search: Annotated[str | None, Field(description="Text in the name or email.")] = None,
        tag: str | None = None,
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """List customers, newest first; search by name or email (use it to find a customer's
        id before opening a ticket for them)."""
        params = {
            "status": status,
            "sentiment": sentiment,
            "search": search,
            "tag": tag,
            "page": page,
            "pageSize": pageSize,
        }
        return await self._list("customers", params=params)

    async def get_customer(self, customerId: CustomerId) -> ItemResult:
        """Get one customer: contact details, status, sentiment, tags, notes, custom fields
        and ticket count. Use list_tickets with customerId for their tickets."""
        return await self._item("GET", "customers", customerId)

    async def create_customer(
        self,
        name: Annotated[str, Field(min_length=1, max_length=200, description="Full name.")],
        email: Annotated[str, Field(min_length=3, max_length=254, description="Email address.")],
        status: CustomerStatus = "active",
        sentiment: Sentiment | None = None,
        tags: Tags | None = None,
        notes: Annotated[str | None, Field(description="Internal notes.")] = None,
        customFields: Annotated[
            dict[str, Any] | None, Field(description='Custom fields, e.g. {"plan": "pro"}.')
        ] = None,
    ) -> ItemResult:
        """Create a customer record. Returns it with its id (cus_…), to pass as customerId to
        create_ticket. Fails with resource_conflict when the email already exists: then find the
        customer with list_customers(search=email)."""
        body = _customer_body(name, email, status, sentiment, tags, notes, customFields)
        return await self._item("POST", "customers", body=body)

    async def update_customer(
        self,
        customerId: CustomerId,
        name: Annotated[str | None, Field(min_length=1, max_length=200)] = None,
        email: str | None = None,
        status: CustomerStatus | None = None,
        sentiment: Sentiment | None = None,
        tags: Annotated[list[str] | None, Field(description="Replaces all tags.")] = None,
        notes: Annotated[str | None, Field(description="Replaces the notes.")] = None,
        customFields: Annotated[
            dict[str, Any] | None, Field(description="Merged into the custom fields.")
        ] = None,
    ) -> ItemResult:
        """Change a customer's name, email, status, sentiment, tags, notes or custom fields.
        Only the fields given change. Returns the updated customer."""
        body = _customer_body(name, email, status, sentiment, tags, notes, customFields)
        if not body:
            raise ToolInputError("Nothing to update: give at least one field to change.")
        return await self._item("PATCH", "customers", customerId, body=body)

    # -- articles ---------------------------------------------------------------------------

    async def search_articles(
        self,
        search: Annotated[
            str | None, Field(description="Words to find in the title or content.")
        ] = None,
        status: ArticleStatus | None = None,
        category: Annotated[str | None, Field(description="Category id or name.")] = None,
        isPublic: Annotated[
            bool | None, Field(description="True: only articles in the public Library.")
        ] = None,
        tag: str | None = None,
        page: Page = 1,
        pageSize: PageSize = 10,
    ) -> ListResult:
        """Search the knowledge base (help-center articles), e.g. to find an answer for a
        customer. Content is cut to an excerpt (contentTruncated true); get_article returns the
        full text."""
        params = {
            "search": search,
            "status": status,
            "category": category,
            "isPublic": isPublic,
            "tag": tag,
            "page": page,
            "pageSize": pageSize,
        }
        return await self._list("articles", params=params, shape=excerpt)

    async def get_article(self, articleId: ArticleId) -> ItemResult:
        """Get one knowledge-base article with its full content."""
        return await self._item("GET", "articles", articleId)

    # -- team -------------------------------------------------------------------------------

    async def list_members(
        self,
        role: Role | None = None,
        page: Page = 1,
        pageSize: PageSize = 50,
    ) -> ListResult:
        """List the team's members (agents, admins…) with their ids (mem_…), roles, level and
        XP. Use the ids for assignedTo."""
        params = {"role": role, "page": page, "pageSize": pageSize}
        return await self._list("members", params=params)
