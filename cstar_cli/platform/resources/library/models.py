"""Models of the public library (D25): library articles, views and feedback, and the categories
it lists (:mod:`..categories.models`).

Like ``schemas``: request models forbid unknown fields and do not coerce, response models
document exactly what the serializers produce.
"""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.articles.models import PublicArticle
from cstar_cli.platform.resources.categories.models import Category
from cstar_cli.platform.resources.models import Description, Input, Output

LibraryArticle = PublicArticle

__all__ = [
    "ArticleFeedback",
    "ArticleView",
    "Category",
    "FeedbackCreate",
    "LibraryArticle",
]

Rating = Literal["helpful", "not_helpful"]


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
