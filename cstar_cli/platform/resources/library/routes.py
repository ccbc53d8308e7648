"""The public library API (D25, facts §3.16): a help center anyone may read, no key needed.

``/api/library/{teamSlugOrId}/…``: published, public articles only, their categories, search,
and the two things a reader may write: a view and a helpful / not helpful vote. Without a key it
serves live data; with a key of the team (a ``pk_test_`` one for test data) that key's
environment. The gateway (``callers``) resolves the team and the caller before these run.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import LIBRARY
from cstar_cli.platform.http.bounds import MAX_SEARCH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.articles.service import serialize as serialize_article
from cstar_cli.platform.resources.categories.service import PUBLISHED, Categories, serialize
from cstar_cli.platform.resources.common import Where, caller_of, platform_of, principal_of
from cstar_cli.platform.resources.library.models import FeedbackCreate, LibraryArticle
from cstar_cli.platform.store.db import Row

router = APIRouter(tags=["library"])

PREFIX = "/api/library/{teamSlugOrId}"
LIBRARY_FIELDS = tuple(LibraryArticle.model_fields)
LIMIT = Query(20, ge=1, le=100, description="How many articles, 1 to 100.")
NEWEST = "published_at DESC, rowid DESC"


def library_view(row: Row) -> dict[str, Any]:
    """An article as the library shows it: no staff notes, metadata or settings."""
    article = serialize_article(row)
    return {name: article[name] for name in LIBRARY_FIELDS}


def _published(request: Request) -> Where:
    where = Where(principal_of(request))
    where.add(PUBLISHED)
    return where


def _articles(request: Request, where: Where, order: str, limit: int) -> list[dict[str, Any]]:
    rows = platform_of(request).db.all(
        f"SELECT * FROM articles WHERE {where.sql} ORDER BY {order} LIMIT ?",
        [*where.params, limit],
    )
    return [library_view(row) for row in rows]


def _by_slug(request: Request, slug: str) -> Row:
    where = _published(request)
    where.add("slug = ?", slug)
    row = platform_of(request).db.one(f"SELECT * FROM articles WHERE {where.sql}", where.params)
    if row is None:
        raise ApiError(404, "resource_missing", f"No published article with slug '{slug}'.")
    return row


@router.get("/articles", summary="Library: published articles", openapi_extra=LIBRARY)
async def library_articles(
    request: Request,
    teamSlugOrId: str,
    limit: int = LIMIT,
    category: str | None = Query(None, description="A category's id, name or slug."),
) -> Response:
    where = _published(request)
    if category is not None:
        found = Categories(caller_of(request)).find(category)
        where.add("(category_id = ? OR category = ?)", found and found["id"], category)
    return responses.plain_list(request, _articles(request, where, NEWEST, limit))


@router.get("/articles/{slug}", summary="Library: one article by slug", openapi_extra=LIBRARY)
async def library_article(request: Request, teamSlugOrId: str, slug: str) -> Response:
    return responses.ok(request, library_view(_by_slug(request, slug)))


@router.get("/categories", summary="Library: categories", openapi_extra=LIBRARY)
async def library_categories(request: Request, teamSlugOrId: str) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    counts = Categories(caller_of(request)).article_counts(published_only=True)
    where = Where(principal)
    rows = platform.db.all(
        f"SELECT * FROM categories WHERE {where.sql} ORDER BY position, name_key", where.params
    )
    data = [serialize(row, counts.get(row["id"], 0)) for row in rows]
    return responses.plain_list(request, data)


@router.get("/search", summary="Library: search published articles", openapi_extra=LIBRARY)
async def library_search(
    request: Request,
    teamSlugOrId: str,
    q: str = Query(..., min_length=1, max_length=MAX_SEARCH, description="Words to look for."),
    limit: int = LIMIT,
) -> Response:
    where = _published(request)
    where.search(["title", "excerpt", "content"], q)
    pattern = where.params[-1]  # titles that match come first
    order = f"(title LIKE ? ESCAPE '\\') DESC, {NEWEST}"
    rows = platform_of(request).db.all(
        f"SELECT * FROM articles WHERE {where.sql} ORDER BY {order} LIMIT ?",
        [*where.params, pattern, limit],
    )
    return responses.plain_list(request, [library_view(row) for row in rows])


@router.post(
    "/articles/{slug}/view", summary="Library: count a view of an article", openapi_extra=LIBRARY
)
async def library_view_article(request: Request, teamSlugOrId: str, slug: str) -> Response:
    platform = platform_of(request)
    row = _by_slug(request, slug)
    with platform.db.transaction():
        platform.db.execute(
            "UPDATE articles SET view_count = view_count + 1 WHERE id = ?", (row["id"],)
        )
    data = {"articleId": ids.ARTICLE + row["id"], "slug": slug, "viewCount": row["view_count"] + 1}
    return responses.ok(request, data)


@router.post(
    "/articles/{slug}/feedback",
    status_code=201,
    summary="Library: say whether an article helped",
    openapi_extra=LIBRARY,
)
async def library_feedback(
    request: Request, teamSlugOrId: str, slug: str, body: FeedbackCreate
) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    row = _by_slug(request, slug)
    column = "helpful_count" if body.rating == "helpful" else "not_helpful_count"
    stamp = platform.now_iso(principal)
    with platform.db.transaction():
        platform.db.insert(
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
        platform.db.execute(
            f"UPDATE articles SET {column} = {column} + 1 WHERE id = ?", (row["id"],)
        )
    counts = {"helpful_count": row["helpful_count"], "not_helpful_count": row["not_helpful_count"]}
    counts[column] += 1
    data = {
        "object": "article_feedback",
        "articleId": ids.ARTICLE + row["id"],
        "slug": slug,
        "rating": body.rating,
        "comment": body.comment,
        "helpfulCount": counts["helpful_count"],
        "notHelpfulCount": counts["not_helpful_count"],
        "createdAt": stamp,
    }
    return responses.ok(request, data, status=201)
