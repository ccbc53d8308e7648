"""Models of Customers (facts §3.4): requests in, answers out."""

from __future__ import annotations

from typing import Any, Literal

from cstar_cli.platform.resources.models import (
    Email,
    Input,
    Metadata,
    Notes,
    Output,
    ShortText,
    Tags,
)
from cstar_cli.wire.enums import CustomerStatus, Sentiment


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
    groupIds: list[str]
    """The customer groups it belongs to (``cgr_`` ids, D41)."""
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
