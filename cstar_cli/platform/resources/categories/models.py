"""Models of article categories (D25): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output, ShortText, Slug

Description = Annotated[str, Field(max_length=2000)]
Position = Annotated[int, Field(ge=0, le=1_000_000)]


class Category(Output):
    id: str
    object: Literal["category"]
    name: str
    slug: str
    description: str | None
    position: int
    articleCount: int
    """Articles in it (for publishable keys and the library: published, public ones)."""
    createdAt: str
    updatedAt: str


class CategoryCreate(Input):
    name: ShortText
    slug: Slug | None = None
    description: Description | None = None
    position: Position = 0


class CategoryUpdate(Input):
    name: ShortText | None = None
    slug: Slug | None = None
    description: Description | None = None
    position: Position | None = None
