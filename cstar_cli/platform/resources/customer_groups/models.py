"""Models of customer groups (D41, facts §3.11): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import (
    Description,
    Input,
    Metadata,
    Output,
    ShortText,
    Slug,
)

ExternalId = Annotated[str, Field(min_length=1, max_length=200)]
CustomerRef = Annotated[str, Field(min_length=1, max_length=100)]


class CustomerGroup(Output):
    id: str
    object: Literal["customer_group"]
    name: str
    slug: str
    description: str | None
    externalId: str | None
    customFields: dict[str, Any]
    customerCount: int
    createdAt: str
    updatedAt: str


class CustomerGroupCreate(Input):
    name: ShortText
    slug: Slug | None = None
    """Generated from ``name`` when omitted; unique per team and environment (409 on a clash)."""
    description: Description | None = None
    externalId: ExternalId | None = None
    """The group's id in another system (a Zendesk organization id, say)."""
    customFields: Metadata = {}


class CustomerGroupUpdate(Input):
    name: ShortText | None = None
    slug: Slug | None = None
    description: Description | None = None
    externalId: ExternalId | None = None
    customFields: Metadata | None = None


class GroupMembers(Input):
    customerIds: Annotated[list[CustomerRef], Field(min_length=1, max_length=100)]
    """Customers to add (``cus_`` ids or UUIDs); ones already in the group are left as they are."""
