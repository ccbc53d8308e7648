"""What every resource's models share: input and output bases, the envelope, common field types.

Each resource keeps its own request and response models beside its routes
(``resources/<noun>/models.py``); they validate input and generate ``/openapi.json``.

Request models forbid unknown fields and do not coerce types, so a typo or a wrong type is a 400
naming the ``param``. Response models document exactly what the serializers in the route modules
produce (``extra="forbid"``): schemathesis checks every answer against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cstar_cli.platform.http.bounds import check_metadata

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


Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Description = Annotated[str, Field(max_length=2000)]
Position = Annotated[int, Field(ge=0, le=1_000_000)]


class HeadingCreate(Input):
    """What creating a heading takes: an article category (D25), a community topic (D43)."""

    name: ShortText
    slug: Slug | None = None
    description: Description | None = None
    position: Position = 0


class HeadingUpdate(Input):
    """What updating a heading takes: any of its fields."""

    name: ShortText | None = None
    slug: Slug | None = None
    description: Description | None = None
    position: Position | None = None
