"""``/categories``: article categories (D25). Reads for any key of the team, writes secret only.

No events: the webhook catalogue has no category events.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.articles.routes import slugify
from cstar_cli.platform.resources.categories import service as categories
from cstar_cli.platform.resources.library.models import CategoryCreate, CategoryUpdate
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.updates import Column, FieldMap

router = APIRouter(tags=["categories"])

SORT_FIELDS = {**common.sortable("created_at", "updated_at", "position"), "name": "name_key"}


def _load(platform: Platform, principal: Principal, category_id: str) -> Row:
    return common.load_scoped(
        platform, principal, "categories", ids.CATEGORY, "categoryId", category_id
    )


def _shown(request: Request, row: Row) -> dict[str, object]:
    platform, principal = common.caller(request)
    counts = categories.article_counts(platform, principal, published_only=not principal.is_secret)
    return categories.serialize(row, counts.get(row["id"], 0))


def _check_unique(platform: Platform, row: Row) -> None:
    """409 when another category of the team and environment has the name or the slug."""
    clash = platform.db.one(
        "SELECT name_key, slug FROM categories WHERE team_id = ? AND livemode = ? AND id != ? "
        "AND (name_key = ? OR slug = ?)",
        (row["team_id"], row["livemode"], row["id"], row["name_key"], row["slug"]),
    )
    if clash is not None:
        param = "name" if clash["name_key"] == row["name_key"] else "slug"
        raise ApiError.conflict(f"A category with this {param} already exists.", param=param)


@router.get("/categories", summary="List article categories", openapi_extra=PUBLIC)
async def list_categories(
    request: Request, paging: common.PageParams = Depends(common.page_params)
) -> Response:
    platform, principal = common.caller(request)
    counts = categories.article_counts(platform, principal, published_only=not principal.is_secret)

    def show(row: Row) -> dict[str, object]:
        return categories.serialize(row, counts.get(row["id"], 0))

    where = common.Where(principal)
    return common.list_response(request, "categories", where, paging, SORT_FIELDS, show)


@router.post("/categories", status_code=201, summary="Create an article category")
async def create_category(request: Request, body: CategoryCreate) -> Response:
    platform, principal = common.caller(request)
    columns: Row = {
        "name": body.name.strip(),
        "name_key": body.name.strip().lower(),
        "slug": body.slug or slugify(body.name),
        "description": body.description,
        "position": body.position,
    }
    row = common.new_row(principal, platform.now_iso(principal), columns)
    _check_unique(platform, row)
    with platform.db.transaction():
        platform.db.insert("categories", row)
    return responses.ok(request, categories.serialize(row, 0), status=201)


@router.get("/categories/{categoryId}", summary="Get an article category", openapi_extra=PUBLIC)
async def get_category(request: Request, categoryId: str) -> Response:
    return responses.ok(request, _shown(request, _load(*common.caller(request), categoryId)))


FIELDS: FieldMap = {
    "name": Column(convert=str.strip, also=lambda name: {"name_key": name.lower()}),
    "slug": Column(),
    "description": Column(nullable=True),
    "position": Column(),
}


@router.patch("/categories/{categoryId}", summary="Update an article category")
async def update_category(request: Request, categoryId: str, body: CategoryUpdate) -> Response:
    patch = common.Patch(request, _load, categoryId)
    row = patch.row
    values = patch.values(body, FIELDS)
    _check_unique(patch.platform, {**row, **values})

    def rename_on_articles(updated: Row) -> None:
        if "name" in values:  # articles show their category's current name
            patch.platform.db.execute(
                "UPDATE articles SET category = ? WHERE category_id = ?",
                (updated["name"], row["id"]),
            )

    return patch.save(
        "categories",
        values,
        lambda updated: _shown(request, updated),
        side_effects=rename_on_articles,
    )


@router.delete("/categories/{categoryId}", summary="Delete an empty article category")
async def delete_category(request: Request, categoryId: str) -> Response:
    platform, principal = common.caller(request)
    row = _load(platform, principal, categoryId)
    used = platform.db.one("SELECT COUNT(*) AS n FROM articles WHERE category_id = ?", (row["id"],))
    if used and used["n"]:
        raise ApiError.conflict(
            f"{used['n']} article(s) are still in this category; move them to another category "
            "(PATCH /articles/{id} with categoryId) or delete them first.",
            param="categoryId",
        )
    return common.delete_row(request, "categories", row, ids.CATEGORY)
