"""Article categories (D25): storage, serialization, and how articles refer to them.

A category has a ``cat_`` id, a name and a slug, both unique per team and environment. Articles
point at one by ``categoryId``; their ``category`` field carries the category's name (an article
may also carry a bare category name that matches no category, as before categories existed).
Categories emit no events: the catalogue has none.
"""

from __future__ import annotations

import contextlib
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.store.db import Row

PUBLISHED = "status = 'published' AND is_public = 1"


def serialize(row: Row, article_count: int) -> dict[str, Any]:
    return {
        "id": ids.CATEGORY + row["id"],
        "object": "category",
        "name": row["name"],
        "slug": row["slug"],
        "description": row["description"],
        "position": row["position"],
        "articleCount": article_count,
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
    }


def article_counts(
    platform: Platform, principal: Principal, *, published_only: bool
) -> dict[str, int]:
    """Articles per category id; only published, public ones when ``published_only``."""
    rows = platform.db.all(
        "SELECT category_id, COUNT(*) AS n FROM articles WHERE team_id = ? AND livemode = ? "
        f"AND category_id IS NOT NULL {'AND ' + PUBLISHED if published_only else ''} "
        "GROUP BY category_id",
        (principal.team_id, int(principal.livemode)),
    )
    return {row["category_id"]: int(row["n"]) for row in rows}


def find(platform: Platform, principal: Principal, reference: str) -> Row | None:
    """The category a filter names: its ``cat_`` id (or UUID), its name or its slug."""
    hex_id = None
    with contextlib.suppress(ApiError):  # not an id: a name or a slug
        hex_id = ids.parse(reference, ids.CATEGORY, "category")
    return platform.db.one(
        "SELECT * FROM categories WHERE team_id = ? AND livemode = ? "
        "AND (id = ? OR name_key = ? OR slug = ?) ORDER BY id = ? DESC LIMIT 1",
        (
            principal.team_id,
            int(principal.livemode),
            hex_id,
            reference.strip().lower(),
            reference,
            hex_id,
        ),
    )


def for_article(
    platform: Platform, principal: Principal, category_id: str | None, name: str | None
) -> tuple[str | None, str | None]:
    """``(category_id, category)`` to store for an article from what its body says.

    A ``categoryId`` must name a category of the team (400 otherwise) and sets the name too; a
    bare ``category`` name links the category of that name when there is one.
    """
    if category_id is not None:
        hex_id = ids.parse(category_id, ids.CATEGORY, "categoryId")
        row = platform.db.one(
            "SELECT id, name FROM categories WHERE id = ? AND team_id = ? AND livemode = ?",
            (hex_id, principal.team_id, int(principal.livemode)),
        )
        if row is None:
            raise ApiError.invalid(f"No category with id '{category_id}'.", param="categoryId")
        return row["id"], row["name"]
    if name is None:
        return None, None
    row = platform.db.one(
        "SELECT id, name FROM categories WHERE team_id = ? AND livemode = ? AND name_key = ?",
        (principal.team_id, int(principal.livemode), name.strip().lower()),
    )
    return (row["id"], row["name"]) if row else (None, name)
