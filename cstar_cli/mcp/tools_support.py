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
        body = clean(
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
        body = clean(
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
        body = _customer_body(name, email, status, sentiment, tags, notes, custom_fields)
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
        body = _customer_body(name, email, status, sentiment, tags, notes, custom_fields)
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
        return await self._list("articles", params=params, shape=excerpt)

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
