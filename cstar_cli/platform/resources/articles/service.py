"""Knowledge-base articles (facts §3.5): what a caller may see of them and every write, with its
events (D10). Code anyone can read (a publishable key) sees only the published help center
(D23), without staff notes; slugs are unique per team and environment (D25)."""

from __future__ import annotations

import json
import math
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources import payloads
from cstar_cli.platform.resources.articles.models import ArticleCreate, ArticleUpdate
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.categories.service import PUBLISHED, Categories
from cstar_cli.platform.resources.filters import TAG, Filter, equals, search
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import Paging, Where, sortable
from cstar_cli.platform.store.updates import Column, FieldMap

WATCHED = [
    "title",
    "slug",
    "content",
    "excerpt",
    "categoryId",
    "category",
    "status",
    "isPublic",
    "tags",
    "notes",
    "metaDescription",
    "metadata",
]
WORDS_PER_MINUTE = 200


def serialize(row: Row) -> dict[str, Any]:
    """A stored article on the wire."""
    words = len(row["content"].split())
    return {
        "id": ids.ARTICLE + row["id"],
        "object": "article",
        **columns(row, "title", "slug", "excerpt", "content"),
        "categoryId": ids.wire(ids.CATEGORY, row["category_id"]),
        **columns(row, "category", "status"),
        "tags": json.loads(row["tags"]),
        **columns(row, "notes", "view_count", "helpful_count", "not_helpful_count", "use_count"),
        "readTime": f"{max(1, math.ceil(words / WORDS_PER_MINUTE))} min",
        "isPublic": bool(row["is_public"]),
        **columns(row, "published_at", "meta_description"),
        "metadata": json.loads(row["metadata"]),
        **columns(row, "created_at", "updated_at"),
    }


def in_category(articles: Articles, where: Where, category: str) -> None:
    """A category's id, name or slug; or a bare category name."""
    found = Categories(articles.caller).find(category)
    where.add("(category_id = ? OR category = ?)", found and found["id"], category)


class Articles(Service):
    """The articles of the caller's team and environment."""

    table = "articles"
    prefix = ids.ARTICLE
    param = "articleId"
    noun = "article"
    sort_fields = sortable("created_at", "updated_at", "published_at", "title", "view_count")
    filters = (
        equals("status"),
        Filter("category", in_category),
        equals("is_public"),
        search("title", "content"),
        TAG,
    )

    # -- reading -------------------------------------------------------------------------------
    def list(self, paging: Paging, **given: Any) -> Page:
        where = self.filtered(given)
        if not self.principal.is_secret:  # D23: code anyone can read sees the help center
            where.add(PUBLISHED)
        return self.page(where, paging, self.shown)

    def get(self, article_id: str) -> dict[str, Any]:
        row = self.load(article_id)
        if not self.principal.is_secret and not (row["status"] == "published" and row["is_public"]):
            raise ApiError.not_found("article", article_id)
        return self.shown(row)

    def shown(self, row: Row) -> dict[str, Any]:
        """An article as the caller sees it: staff notes only for secret keys."""
        article = serialize(row)
        if not self.principal.is_secret:
            article["notes"] = None
        return article

    # -- writing -------------------------------------------------------------------------------
    def create(self, body: ArticleCreate) -> dict[str, Any]:
        stamp = self.stamp()
        category_id, category = Categories(self.caller).for_article(body.categoryId, body.category)
        row = self.new_row(
            {
                "title": body.title,
                "slug": self._slug(body.slug, body.title),
                "excerpt": body.excerpt,
                "content": body.content,
                "category_id": category_id,
                "category": category,
                "status": body.status,
                "tags": dumps(body.tags),
                "notes": body.notes,
                "view_count": 0,
                "helpful_count": 0,
                "not_helpful_count": 0,
                "use_count": 0,
                "is_public": int(body.isPublic),
                "published_at": stamp if body.status == "published" else None,
                "meta_description": body.metaDescription,
                "metadata": dumps(body.metadata),
            },
            stamp,
        )
        with self.transaction() as db:
            db.insert(self.table, row)
            self.emit("article.created", {"article": payloads.article_data(row)})
            if body.status == "published":
                self.emit("article.published", {"article": payloads.article_data(row)})
        return serialize(row)

    def update(self, article_id: str, body: ArticleUpdate) -> dict[str, Any]:
        row = self.load(article_id)
        fields: FieldMap = {
            "title": Column(),
            "content": Column(),
            "excerpt": Column(nullable=True),
            "notes": Column(nullable=True),
            "metaDescription": Column(nullable=True),
            "slug": Column(convert=lambda slug: self._own_slug(slug, row["id"])),
            "isPublic": Column(kind="bool"),
            "tags": Column(kind="json"),
            "metadata": Column(kind="merge"),
            "status": Column(),
        }
        values = self.patch_values(body, row, fields)
        if "categoryId" in body.model_fields_set or "category" in body.model_fields_set:
            values["category_id"], values["category"] = Categories(self.caller).for_article(
                body.categoryId, body.category
            )
        publishing = values.get("status") == "published" and row["status"] != "published"
        if publishing:
            values["published_at"] = self.stamp()

        def announce(updated: Row, changes: dict[str, Any]) -> None:
            data = {"article": payloads.article_data(updated), "changes": changes}
            self.emit("article.updated", data)
            if publishing:
                self.emit("article.published", data)

        saved = self.save(row, values, show=serialize, watched=WATCHED, announce=announce)
        return serialize(saved.row)

    def delete(self, article_id: str) -> dict[str, Any]:
        def announce(gone: Row) -> None:
            self.emit("article.deleted", {"article": payloads.article_data(gone)})

        return self.remove(self.load(article_id), announce=announce)

    # -- slugs ---------------------------------------------------------------------------------
    def _taken(self, slug: str, own_id: str | None) -> bool:
        return bool(
            self.db.one(
                "SELECT 1 FROM articles WHERE team_id = ? AND livemode = ? AND slug = ? "
                "AND id IS NOT ?",
                (self.principal.team_id, int(self.principal.livemode), slug, own_id),
            )
        )

    def _slug(self, given: str | None, title: str) -> str:
        """Slugs are unique per team and environment (D25): a slug derived from the title gets
        a number when taken; a slug asked for that is taken is a 409."""
        if given is not None:
            return self._own_slug(given, None)
        base = slugify(title)
        slug, n = base, 1
        while self._taken(slug, None):
            n += 1
            slug = f"{base}-{n}"
        return slug

    def _own_slug(self, slug: str, own_id: str | None) -> str:
        if self._taken(slug, own_id):
            raise ApiError.conflict(f"Another article already has the slug '{slug}'.", param="slug")
        return slug
