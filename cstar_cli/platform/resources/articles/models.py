"""Models of Articles (facts §3.5): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import (
    Input,
    Metadata,
    Notes,
    Output,
    ShortText,
    Slug,
    Tags,
    Title,
)
from cstar_cli.wire.enums import ArticleStatus


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
