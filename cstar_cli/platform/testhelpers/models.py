"""Models of ``/test-helpers`` answers (the clock's are with the game's models)."""

from __future__ import annotations

from typing import Any, Literal

from cstar_cli.platform.resources.models import Output
from cstar_cli.wire.enums import (
    ArticleStatus,
    CustomerStatus,
    Priority,
    Role,
    Sender,
    Sentiment,
    TicketStatus,
)


class ResetResult(Output):
    object: Literal["reset"]
    deleted: dict[str, int]
    """Rows deleted, by resource (``tickets``, ``events``, ``keys``, ``listenQueue``…)."""


# -- data files (D34): the document GET /test-helpers/export answers with, bare -----------------
class DataMember(Output):
    name: str
    email: str
    role: Role
    avatarUrl: str | None
    joinedAt: str


class DataCustomer(Output):
    id: str
    name: str
    email: str
    status: CustomerStatus
    sentiment: Sentiment | None
    tags: list[str]
    notes: str | None
    customFields: dict[str, Any]
    metadata: dict[str, Any]
    createdAt: str
    updatedAt: str


class DataCategory(Output):
    id: str
    name: str
    slug: str
    description: str | None
    position: int
    createdAt: str
    updatedAt: str


class DataArticle(Output):
    id: str
    title: str
    slug: str
    excerpt: str | None
    content: str
    categoryId: str | None
    category: str | None
    status: ArticleStatus
    isPublic: bool
    tags: list[str]
    notes: str | None
    metaDescription: str | None
    metadata: dict[str, Any]
    viewCount: int
    useCount: int
    publishedAt: str | None
    createdAt: str
    updatedAt: str


class DataMessage(Output):
    id: str
    content: str
    sender: Sender
    senderName: str | None
    isInternal: bool
    createdAt: str


class DataTicket(Output):
    id: str
    title: str
    status: TicketStatus
    priority: Priority
    channel: str
    customerId: str | None
    customerName: str | None
    assignedTo: str | None
    """The assignee's email (member ids differ between platforms)."""
    tags: list[str]
    notes: str | None
    metadata: dict[str, Any]
    createdAt: str
    updatedAt: str
    resolvedAt: str | None
    closedAt: str | None
    messages: list[DataMessage]


class DataWebhook(Output):
    """A webhook without its signing secret (an import gives it a new one)."""

    id: str
    name: str | None
    description: str | None
    url: str
    events: list[str]
    isActive: bool
    legacySignature: bool
    createdAt: str
    updatedAt: str


class DataSlaRule(Output):
    id: str
    name: str
    priority: Priority
    responseTarget: int
    resolutionTarget: int
    businessHoursOnly: bool
    enabled: bool
    createdAt: str
    updatedAt: str


class DataFile(Output):
    """A cStar data file (D34); ``POST /test-helpers/import`` and ``cstar dev --seed`` take one
    (there, ids are optional and references may use emails and slugs)."""

    cstarData: Literal[1]
    members: list[DataMember]
    customers: list[DataCustomer]
    categories: list[DataCategory]
    articles: list[DataArticle]
    tickets: list[DataTicket]
    webhooks: list[DataWebhook]
    slaRules: list[DataSlaRule]


class ImportResult(Output):
    object: Literal["import"]
    deleted: dict[str, int]
    """Rows the reset deleted, by resource, as ``POST /test-helpers/reset`` says."""
    loaded: dict[str, int]
    """Objects loaded from the file, by list (``messages`` counted apart)."""
