"""Knowledge-base articles (facts §3.5)."""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common, payloads
from cstar_cli.platform.resources.articles.models import ArticleCreate, ArticleUpdate
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.categories.service import Categories
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.enums import ArticleStatus

router = APIRouter(tags=["articles"])

SORT_FIELDS = common.sortable("created_at", "updated_at", "published_at", "title", "view_count")
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
    words = len(row["content"].split())
    return {
        "id": ids.ARTICLE + row["id"],
        "object": "article",
        **common.columns(row, "title", "slug", "excerpt", "content"),
        "categoryId": ids.wire(ids.CATEGORY, row["category_id"]),
        **common.columns(row, "category", "status"),
        "tags": json.loads(row["tags"]),
        **common.columns(
            row, "notes", "view_count", "helpful_count", "not_helpful_count", "use_count"
        ),
        "readTime": f"{max(1, math.ceil(words / WORDS_PER_MINUTE))} min",
        "isPublic": bool(row["is_public"]),
        **common.columns(row, "published_at", "meta_description"),
        "metadata": json.loads(row["metadata"]),
        **common.columns(row, "created_at", "updated_at"),
    }


def _taken(platform: Platform, principal: Principal, slug: str, own_id: str | None) -> bool:
    return bool(
        platform.db.one(
            "SELECT 1 FROM articles WHERE team_id = ? AND livemode = ? AND slug = ? "
            "AND id IS NOT ?",
            (principal.team_id, int(principal.livemode), slug, own_id),
        )
    )


def _slug(platform: Platform, principal: Principal, given: str | None, title: str) -> str:
    """Slugs are unique per team and environment (D25): a slug derived from the title gets a
    number when taken; a slug asked for that is taken is a 409."""
    if given is not None:
        return _own_slug(platform, principal, given, None)
    base = slugify(title)
    slug, n = base, 1
    while _taken(platform, principal, slug, None):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _own_slug(platform: Platform, principal: Principal, slug: str, own_id: str | None) -> str:
    if _taken(platform, principal, slug, own_id):
        raise ApiError.conflict(f"Another article already has the slug '{slug}'.", param="slug")
    return slug


def _load(platform: Platform, principal: Principal, article_id: str) -> Row:
    return common.load_scoped(platform, principal, "articles", ids.ARTICLE, "articleId", article_id)


@router.get("/articles", summary="List articles", openapi_extra=PUBLIC)
async def list_articles(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    status: ArticleStatus | None = Query(None),
    category: str | None = Query(None, description="Category id or name."),
    isPublic: str | None = Query(None, description="true or false."),
    search: str | None = common.search_query("Text in the title or content."),
    tag: str | None = Query(None),
) -> Response:
    principal = common.principal_of(request)
    where = common.Where(principal)
    if not principal.is_secret:  # D23: code anyone can read sees the published help center
        where.add("status = 'published' AND is_public = 1")
    where.equals("status", status)
    if category is not None:  # a category's id, name or slug; or a bare category name
        found = Categories(common.caller_of(request)).find(category)
        where.add("(category_id = ? OR category = ?)", found and found["id"], category)
    where.equals("is_public", common.bool_query(isPublic, "isPublic"))
    where.search(["title", "content"], search)
    where.tag("tags", tag)
    return common.list_response(
        request, "articles", where, paging, SORT_FIELDS, lambda row: _shown(principal, row)
    )


def _shown(principal: Principal, row: Row) -> dict[str, Any]:
    """An article as the caller sees it: staff notes only for secret keys."""
    article = serialize(row)
    if not principal.is_secret:
        article["notes"] = None
    return article


@router.post("/articles", status_code=201, summary="Create an article")
async def create_article(request: Request, body: ArticleCreate) -> Response:
    platform, principal = common.caller(request)
    db = platform.db
    stamp = platform.now_iso(principal)
    category_id, category = Categories(common.caller_of(request)).for_article(
        body.categoryId, body.category
    )
    columns: Row = {
        "title": body.title,
        "slug": _slug(platform, principal, body.slug, body.title),
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
    }
    row = common.new_row(principal, stamp, columns)
    with db.transaction():
        db.insert("articles", row)
        common.emit_event(request, "article.created", {"article": payloads.article_data(row)})
        if body.status == "published":
            common.emit_event(request, "article.published", {"article": payloads.article_data(row)})
    return responses.ok(request, serialize(row), status=201)


@router.get("/articles/{articleId}", summary="Get an article", openapi_extra=PUBLIC)
async def get_article(request: Request, articleId: str) -> Response:
    principal = common.principal_of(request)
    row = _load(common.platform_of(request), principal, articleId)
    if not principal.is_secret and not (row["status"] == "published" and row["is_public"]):
        raise ApiError.not_found("article", articleId)
    return responses.ok(request, _shown(principal, row))


@router.patch("/articles/{articleId}", summary="Update an article")
async def update_article(request: Request, articleId: str, body: ArticleUpdate) -> Response:
    patch = common.Patch(request, _load, articleId)
    platform, principal, row = patch.platform, patch.principal, patch.row
    fields: FieldMap = {
        "title": Column(),
        "content": Column(),
        "excerpt": Column(nullable=True),
        "notes": Column(nullable=True),
        "metaDescription": Column(nullable=True),
        "slug": Column(convert=lambda slug: _own_slug(platform, principal, slug, row["id"])),
        "isPublic": Column(kind="bool"),
        "tags": Column(kind="json"),
        "metadata": Column(kind="merge"),
        "status": Column(),
    }
    values = patch.values(body, fields)
    if "categoryId" in body.model_fields_set or "category" in body.model_fields_set:
        values["category_id"], values["category"] = Categories(
            common.caller_of(request)
        ).for_article(body.categoryId, body.category)
    publishing = values.get("status") == "published" and row["status"] != "published"
    if publishing:
        values["published_at"] = patch.stamp

    def announce(updated: Row, changes: dict[str, Any]) -> None:
        data = {"article": payloads.article_data(updated), "changes": changes}
        common.emit_event(request, "article.updated", data)
        if publishing:
            common.emit_event(request, "article.published", data)

    return patch.save("articles", values, serialize, watched=WATCHED, emit=announce)


@router.delete("/articles/{articleId}", summary="Delete an article")
async def delete_article(request: Request, articleId: str) -> Response:
    def announce(gone: Row) -> None:
        common.emit_event(request, "article.deleted", {"article": payloads.article_data(gone)})

    row = _load(*common.caller(request), articleId)
    return common.delete_row(request, "articles", row, ids.ARTICLE, announce=announce)
