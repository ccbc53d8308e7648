"""Article categories (D25): storage, serialization, and how articles refer to them.

A category has a ``cat_`` id, a name and a slug, both unique per team and environment. Articles
point at one by ``categoryId``; their ``category`` field carries the category's name (an article
may also carry a bare category name that matches no category, as before categories existed).
Reads for any key of the team, writes secret only. Categories emit no events: the catalogue has
none.
"""

from __future__ import annotations

import contextlib
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.categories.models import CategoryCreate, CategoryUpdate
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.platform.store.updates import Column, FieldMap

PUBLISHED = "status = 'published' AND is_public = 1"
FIELDS: FieldMap = {
    "name": Column(convert=str.strip, also=lambda name: {"name_key": name.lower()}),
    "slug": Column(),
    "description": Column(nullable=True),
    "position": Column(),
}


def serialize(row: Row, article_count: int) -> dict[str, Any]:
    return {
        "id": ids.CATEGORY + row["id"],
        "object": "category",
        **columns(row, "name", "slug", "description", "position"),
        "articleCount": article_count,
        **columns(row, "created_at", "updated_at"),
    }


class Categories(Service):
    """The article categories of the caller's team and environment."""

    table = "categories"
    prefix = ids.CATEGORY
    param = "categoryId"
    noun = "category"
    sort_fields = {**sortable("created_at", "updated_at", "position"), "name": "name_key"}

    # -- reading -------------------------------------------------------------------------------
    def get(self, category_id: str) -> dict[str, Any]:
        return self.shown(self.load(category_id))

    def shown(self, row: Row) -> dict[str, Any]:
        """A category with its article count as the caller sees it (published, public articles
        only for keys that are not secret)."""
        counts = self.article_counts(published_only=not self.principal.is_secret)
        return serialize(row, counts.get(row["id"], 0))

    def in_order(self) -> list[dict[str, Any]]:
        """Every category by position then name, counting published, public articles (the
        library's list)."""
        counts = self.article_counts(published_only=True)
        where = self.where()
        rows = self.db.all(
            f"SELECT * FROM categories WHERE {where.sql} ORDER BY position, name_key",
            where.params,
        )
        return [serialize(row, counts.get(row["id"], 0)) for row in rows]

    def article_counts(self, *, published_only: bool) -> dict[str, int]:
        """Articles per category id; only published, public ones when ``published_only``."""
        rows = self.db.all(
            "SELECT category_id, COUNT(*) AS n FROM articles WHERE team_id = ? AND livemode = ? "
            f"AND category_id IS NOT NULL {'AND ' + PUBLISHED if published_only else ''} "
            "GROUP BY category_id",
            (self.principal.team_id, int(self.principal.livemode)),
        )
        return {row["category_id"]: int(row["n"]) for row in rows}

    def find(self, reference: str) -> Row | None:
        """The category a filter names: its ``cat_`` id (or UUID), its name or its slug."""
        hex_id = None
        with contextlib.suppress(ApiError):  # not an id: a name or a slug
            hex_id = ids.parse(reference, ids.CATEGORY, "category")
        return self.db.one(
            "SELECT * FROM categories WHERE team_id = ? AND livemode = ? "
            "AND (id = ? OR name_key = ? OR slug = ?) ORDER BY id = ? DESC LIMIT 1",
            (
                self.principal.team_id,
                int(self.principal.livemode),
                hex_id,
                reference.strip().lower(),
                reference,
                hex_id,
            ),
        )

    def for_article(
        self, category_id: str | None, name: str | None
    ) -> tuple[str | None, str | None]:
        """``(category_id, category)`` to store for an article from what its body says.

        A ``categoryId`` must name a category of the team (400 otherwise) and sets the name too;
        a bare ``category`` name links the category of that name when there is one.
        """
        if category_id is not None:
            hex_id = ids.parse(category_id, ids.CATEGORY, "categoryId")
            row = self.db.one(
                "SELECT id, name FROM categories WHERE id = ? AND team_id = ? AND livemode = ?",
                (hex_id, self.principal.team_id, int(self.principal.livemode)),
            )
            if row is None:
                raise ApiError.invalid(f"No category with id '{category_id}'.", param="categoryId")
            return row["id"], row["name"]
        if name is None:
            return None, None
        row = self.db.one(
            "SELECT id, name FROM categories WHERE team_id = ? AND livemode = ? AND name_key = ?",
            (self.principal.team_id, int(self.principal.livemode), name.strip().lower()),
        )
        return (row["id"], row["name"]) if row else (None, name)

    def list(self, paging: Paging) -> Page:
        counts = self.article_counts(published_only=not self.principal.is_secret)

        def show(row: Row) -> dict[str, Any]:
            return serialize(row, counts.get(row["id"], 0))

        return self.page(self.where(), paging, show)

    # -- writing -------------------------------------------------------------------------------
    def create(self, body: CategoryCreate) -> dict[str, Any]:
        row = self.new_row(
            {
                "name": body.name.strip(),
                "name_key": body.name.strip().lower(),
                "slug": body.slug or slugify(body.name),
                "description": body.description,
                "position": body.position,
            }
        )
        self._check_unique(row)
        with self.transaction() as db:
            db.insert(self.table, row)
            self.audit("category.created", self.prefix + row["id"], serialize(row, 0))
        return serialize(row, 0)

    def update(self, category_id: str, body: CategoryUpdate) -> dict[str, Any]:
        row = self.load(category_id)
        values = self.patch_values(body, row, FIELDS)
        self._check_unique({**row, **values})

        def rename_on_articles(updated: Row) -> None:
            if "name" in values:  # articles show their category's current name
                self.db.execute(
                    "UPDATE articles SET category = ? WHERE category_id = ?",
                    (updated["name"], row["id"]),
                )

        saved = self.save(row, values, side_effects=rename_on_articles)
        return self.shown(saved.row)

    def delete(self, category_id: str) -> dict[str, Any]:
        row = self.load(category_id)
        used = self.db.one("SELECT COUNT(*) AS n FROM articles WHERE category_id = ?", (row["id"],))
        if used and used["n"]:
            raise ApiError.conflict(
                f"{used['n']} article(s) are still in this category; move them to another "
                "category (PATCH /articles/{id} with categoryId) or delete them first.",
                param="categoryId",
            )
        return self.remove(row)

    def _check_unique(self, row: Row) -> None:
        """409 when another category of the team and environment has the name or the slug."""
        clash = self.db.one(
            "SELECT name_key, slug FROM categories WHERE team_id = ? AND livemode = ? "
            "AND id != ? AND (name_key = ? OR slug = ?)",
            (row["team_id"], row["livemode"], row["id"], row["name_key"], row["slug"]),
        )
        if clash is not None:
            param = "name" if clash["name_key"] == row["name_key"] else "slug"
            raise ApiError.conflict(f"A category with this {param} already exists.", param=param)
