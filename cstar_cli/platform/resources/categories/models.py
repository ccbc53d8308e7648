"""Models of article categories (D25): requests in, answers out."""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.models import HeadingCreate, HeadingUpdate, Output


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


class CategoryCreate(HeadingCreate):
    pass


class CategoryUpdate(HeadingUpdate):
    pass
