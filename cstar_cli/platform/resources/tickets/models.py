"""Models of Tickets and their messages (facts §3.2, §3.3): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import (
    Input,
    Metadata,
    Notes,
    Output,
    ShortText,
    Tags,
    Title,
)
from cstar_cli.wire.enums import Priority, Sender, TicketStatus


class CustomerSummary(Output):
    id: str
    name: str
    email: str


class Message(Output):
    id: str
    object: Literal["message"]
    ticketId: str
    content: str
    sender: Sender
    senderName: str | None
    isInternal: bool
    createdAt: str


class Ticket(Output):
    id: str
    object: Literal["ticket"]
    title: str
    status: TicketStatus
    priority: Priority
    channel: str
    customerId: str | None
    customerName: str | None
    assignedTo: str | None
    tags: list[str]
    notes: str | None
    metadata: dict[str, Any]
    messageCount: int
    responseDeadline: str | None
    resolutionDeadline: str | None
    firstResponseAt: str | None
    responseTier: str | None
    resolutionTier: str | None
    slaPaused: bool
    createdAt: str
    updatedAt: str
    resolvedAt: str | None
    closedAt: str | None
    customer: CustomerSummary | None = None
    assignedToName: str | None = None
    """Through a customer identity (D23): the agent's display name, instead of ``assignedTo``."""


class TicketWithMessages(Ticket):
    messages: list[Message]


class FirstMessage(Input):
    content: Annotated[str, Field(min_length=1, max_length=100_000)]


class TicketCreate(Input):
    title: Title
    priority: Priority = "normal"
    status: TicketStatus = "new"
    customerId: str | None = None
    customerName: ShortText | None = None
    assignedTo: str | None = None
    tags: Tags = []
    notes: Notes | None = None
    metadata: Metadata = {}
    channel: Literal["api", "email", "widget", "chat", "phone"] = "api"
    message: FirstMessage | None = None
    """The customer's first message, stored with the ticket (sender ``customer``)."""


class TicketUpdate(Input):
    title: Title | None = None
    status: TicketStatus | None = None
    priority: Priority | None = None
    customerId: str | None = None
    assignedTo: str | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    metadata: Metadata | None = None


class MessageCreate(Input):
    content: Annotated[str, Field(min_length=1, max_length=100_000)]
    sender: Sender = "agent"
    senderName: ShortText | None = None
    isInternal: bool = False
