"""The public library (D25, facts §3.16): a help center anyone may read, no key needed.

Published, public articles only, their categories, search, and the two things a reader may
write: a view and a helpful / not helpful vote (no events: the catalogue has none). The caller
is the principal the gateway resolved (``callers``): without a key, an *anonymous* one of the
team's live environment; with a key of the team, that key's environment.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.articles.service import serialize as serialize_article
from cstar_cli.platform.resources.categories.service import PUBLISHED, Categories
from cstar_cli.platform.resources.library.models import FeedbackCreate, LibraryArticle
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Where

LIBRARY_FIELDS = tuple(LibraryArticle.model_fields)
NEWEST = "published_at DESC, rowid DESC"


def library_view(row: Row) -> dict[str, Any]:
    """An article as the library shows it: no staff notes, metadata or settings."""
    article = serialize_article(row)
    return {name: article[name] for name in LIBRARY_FIELDS}


class Library(Service):
    """The published, public articles of the caller's team and environment."""

    table = "articles"
    prefix = ids.ARTICLE
    param = "articleId"
    noun = "article"

    # -- reading -------------------------------------------------------------------------------
    def articles(
        self, *, limit: int, category: str | None = None, sort: str = "newest"
    ) -> list[dict[str, Any]]:
        """The newest published articles (``sort="popular"``: the most viewed first, D47, for
        the SDK's ``popularArticles``), of one category (its id, name or slug) if asked."""
        where = self._published()
        if category is not None:
            found = Categories(self.caller).find(category)
            where.add("(category_id = ? OR category = ?)", found and found["id"], category)
        order = f"view_count DESC, {NEWEST}" if sort == "popular" else NEWEST
        return self._articles(where, order, [], limit)

    def article(self, slug: str) -> dict[str, Any]:
        return library_view(self._by_slug(slug))

    def categories(self) -> list[dict[str, Any]]:
        """Every category in order, counting published, public articles."""
        return Categories(self.caller).in_order()

    def search(self, q: str, *, limit: int) -> list[dict[str, Any]]:
        """Published articles with ``q`` in the title, excerpt or content; title hits first."""
        where = self._published()
        where.search(["title", "excerpt", "content"], q)
        pattern = where.params[-1]
        order = f"(title LIKE ? ESCAPE '\\') DESC, {NEWEST}"
        return self._articles(where, order, [pattern], limit)

    # -- writing -------------------------------------------------------------------------------
    def view(self, slug: str) -> dict[str, Any]:
        """Count a view of an article."""
        row = self._by_slug(slug)
        with self.transaction() as db:
            db.execute("UPDATE articles SET view_count = view_count + 1 WHERE id = ?", (row["id"],))
        return {
            "articleId": ids.ARTICLE + row["id"],
            "slug": slug,
            "viewCount": row["view_count"] + 1,
        }

    def feedback(self, slug: str, body: FeedbackCreate) -> dict[str, Any]:
        """Record whether an article helped; answers with the article's new counts."""
        row = self._by_slug(slug)
        column = "helpful_count" if body.rating == "helpful" else "not_helpful_count"
        stamp = self.stamp()
        with self.transaction() as db:
            db.insert(
                "article_feedback",
                {
                    "id": ids.new_hex(),
                    "article_id": row["id"],
                    "team_id": row["team_id"],
                    "livemode": row["livemode"],
                    "rating": body.rating,
                    "comment": body.comment,
                    "created_at": stamp,
                },
            )
            db.execute(f"UPDATE articles SET {column} = {column} + 1 WHERE id = ?", (row["id"],))
        counts = {
            "helpful_count": row["helpful_count"],
            "not_helpful_count": row["not_helpful_count"],
        }
        counts[column] += 1
        return {
            "object": "article_feedback",
            "articleId": ids.ARTICLE + row["id"],
            "slug": slug,
            "rating": body.rating,
            "comment": body.comment,
            "helpfulCount": counts["helpful_count"],
            "notHelpfulCount": counts["not_helpful_count"],
            "createdAt": stamp,
        }

    # -- helpers -------------------------------------------------------------------------------
    def _published(self) -> Where:
        where = self.where()
        where.add(PUBLISHED)
        return where

    def _articles(
        self, where: Where, order: str, order_params: list[Any], limit: int
    ) -> list[dict[str, Any]]:
        rows = self.db.all(
            f"SELECT * FROM articles WHERE {where.sql} ORDER BY {order} LIMIT ?",
            [*where.params, *order_params, limit],
        )
        return [library_view(row) for row in rows]

    def _by_slug(self, slug: str) -> Row:
        where = self._published()
        where.add("slug = ?", slug)
        row = self.db.one(f"SELECT * FROM articles WHERE {where.sql}", where.params)
        if row is None:
            raise ApiError(404, "resource_missing", f"No published article with slug '{slug}'.")
        return row
