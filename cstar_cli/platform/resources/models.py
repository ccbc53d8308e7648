"""Request and response models. They validate input and generate ``/openapi.json``.

Request models forbid unknown fields and do not coerce types, so a typo or a wrong type is a 400
naming the ``param``. Response models document exactly what the serializers in the route modules
produce (``extra="forbid"``): schemathesis checks every answer against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cstar_cli.platform.http.bounds import check_metadata
from cstar_cli.wire.enums import (
    ArticleStatus,
    CustomerStatus,
    Environment,
    KeyType,
    Priority,
    Role,
    Sender,
    Sentiment,
    TicketStatus,
)

T = TypeVar("T")


Title = Annotated[str, Field(min_length=1, max_length=500)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Notes = Annotated[str, Field(max_length=10_000)]
Tag = Annotated[str, Field(min_length=1, max_length=64)]
Tags = Annotated[list[Tag], Field(max_length=50)]
Metadata = Annotated[dict[str, Any], Field(max_length=50), AfterValidator(check_metadata)]
Email = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- envelope ------------------------------------------------------------------------------
class Pagination(Output):
    page: int
    pageSize: int
    total: int
    totalPages: int
    hasMore: bool


class Meta(Output):
    requestId: str
    timestamp: str
    idempotentReplayed: bool | None = None


class ListMeta(Meta):
    pagination: Pagination


class Envelope(Output, Generic[T]):
    success: Literal[True]
    data: T
    meta: Meta


class ListEnvelope(Output, Generic[T]):
    success: Literal[True]
    data: list[T]
    pagination: Pagination
    meta: ListMeta


class ErrorDetail(Output):
    type: str
    code: str
    message: str
    param: str | None = None
    doc_url: str
    request_id: str
    retryAfter: int | None = None
    expectedPayload: str | None = None
    snippets: dict[str, str] | None = None


class ErrorMeta(Output):
    requestId: str
    timestamp: str
    idempotentReplayed: bool | None = None


class ErrorEnvelope(Output):
    success: Literal[False]
    error: ErrorDetail
    meta: ErrorMeta


class Deleted(Output):
    id: str
    deleted: Literal[True]


# -- auth ----------------------------------------------------------------------------------
class Whoami(Output):
    teamId: str
    teamName: str
    teamSlug: str
    keyId: str
    keyType: KeyType
    environment: Environment


# -- tickets and messages ------------------------------------------------------------------
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


# -- customers -----------------------------------------------------------------------------
class Customer(Output):
    id: str
    object: Literal["customer"]
    name: str
    email: str
    status: CustomerStatus
    sentiment: Sentiment | None
    tags: list[str]
    notes: str | None
    customFields: dict[str, Any]
    metadata: dict[str, Any]
    ticketCount: int
    createdAt: str
    updatedAt: str


class CustomerCreate(Input):
    name: ShortText
    email: Email
    status: CustomerStatus = "active"
    sentiment: Sentiment | None = None
    tags: Tags = []
    notes: Notes | None = None
    customFields: Metadata = {}
    metadata: Metadata = {}


class CustomerUpdate(Input):
    name: ShortText | None = None
    email: Email | None = None
    status: CustomerStatus | None = None
    sentiment: Sentiment | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    customFields: Metadata | None = None
    metadata: Metadata | None = None


# -- articles ------------------------------------------------------------------------------
class PublicArticle(Output):
    """An article as the public library shows it (D25): no staff notes, metadata or settings."""

    id: str
    object: Literal["article"]
    title: str
    slug: str
    excerpt: str | None
    content: str
    categoryId: str | None
    category: str | None
    tags: list[str]
    viewCount: int
    helpfulCount: int
    notHelpfulCount: int
    readTime: str
    publishedAt: str | None
    metaDescription: str | None
    createdAt: str
    updatedAt: str


class Article(PublicArticle):
    status: ArticleStatus
    notes: str | None
    useCount: int
    isPublic: bool
    metadata: dict[str, Any]


Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class ArticleCreate(Input):
    title: Title
    content: Annotated[str, Field(max_length=200_000)] = ""
    slug: Slug | None = None
    excerpt: Annotated[str, Field(max_length=1000)] | None = None
    categoryId: ShortText | None = None
    category: ShortText | None = None
    status: ArticleStatus = "draft"
    isPublic: bool = False
    tags: Tags = []
    notes: Notes | None = None
    metaDescription: Annotated[str, Field(max_length=500)] | None = None
    metadata: Metadata = {}


class ArticleUpdate(Input):
    title: Title | None = None
    content: Annotated[str, Field(max_length=200_000)] | None = None
    slug: Slug | None = None
    excerpt: Annotated[str, Field(max_length=1000)] | None = None
    categoryId: ShortText | None = None
    category: ShortText | None = None
    status: ArticleStatus | None = None
    isPublic: bool | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    metaDescription: Annotated[str, Field(max_length=500)] | None = None
    metadata: Metadata | None = None


# -- members -------------------------------------------------------------------------------
class Member(Output):
    id: str
    object: Literal["member"]
    userId: str
    name: str
    email: str
    avatarUrl: str | None
    role: Role
    roleDisplayName: str
    permissions: list[str]
    level: int
    xp: int
    joinedAt: str


class MemberCreate(Input):
    name: ShortText
    email: Email
    role: Role = "agent"
    avatarUrl: Annotated[str, Field(max_length=2000)] | None = None


class MemberUpdate(Input):
    name: ShortText | None = None
    email: Email | None = None
    role: Role | None = None
    avatarUrl: Annotated[str, Field(max_length=2000)] | None = None


# -- keys ----------------------------------------------------------------------------------
class ApiKey(Output):
    id: str
    object: Literal["api_key"]
    name: str
    type: KeyType
    environment: Environment
    redacted: str
    last4: str
    createdAt: str
    lastUsedAt: str | None
    expiresAt: str | None
    revokedAt: str | None
    secret: str | None = None


class ApiKeyCreate(Input):
    name: ShortText
    type: KeyType = "secret"
    environment: Environment | None = None


class ApiKeyRoll(Input):
    expiresIn: Annotated[int, Field(ge=0, le=7 * 24 * 3600)] = 0
