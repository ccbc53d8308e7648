"""Models of the public library (D25): categories, library articles, views and feedback.

Like ``schemas``: request models forbid unknown fields and do not coerce, response models
document exactly what the serializers produce.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.articles.models import PublicArticle
from cstar_cli.platform.resources.models import Input, Output, ShortText, Slug

LibraryArticle = PublicArticle

Rating = Literal["helpful", "not_helpful"]
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


class FeedbackCreate(Input):
    rating: Rating
    comment: Description | None = None


class ArticleView(Output):
    """The answer to ``POST …/articles/{slug}/view``."""

    articleId: str
    slug: str
    viewCount: int


class ArticleFeedback(Output):
    """The answer to ``POST …/articles/{slug}/feedback``: what was recorded, and the counts."""

    object: Literal["article_feedback"]
    articleId: str
    slug: str
    rating: Rating
    comment: str | None
    helpfulCount: int
    notHelpfulCount: int
    createdAt: str
