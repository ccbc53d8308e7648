"""``/categories``: article categories (D25). Reads for any key of the team, writes secret only.

No events: the webhook catalogue has no category events.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.categories.models import CategoryCreate, CategoryUpdate
from cstar_cli.platform.resources.categories.service import Categories

router = APIRouter(tags=["categories"])


@router.get("/categories", summary="List article categories", openapi_extra=PUBLIC)
async def list_categories(
    request: Request, paging: common.Paging = Depends(common.page_params)
) -> Response:
    return responses.paged(request, Categories(common.caller_of(request)).list(paging))


@router.post("/categories", status_code=201, summary="Create an article category")
async def create_category(request: Request, body: CategoryCreate) -> Response:
    category = Categories(common.caller_of(request)).create(body)
    return responses.ok(request, category, status=201)


@router.get("/categories/{categoryId}", summary="Get an article category", openapi_extra=PUBLIC)
async def get_category(request: Request, categoryId: str) -> Response:
    return responses.ok(request, Categories(common.caller_of(request)).get(categoryId))


@router.patch("/categories/{categoryId}", summary="Update an article category")
async def update_category(request: Request, categoryId: str, body: CategoryUpdate) -> Response:
    category = Categories(common.caller_of(request)).update(categoryId, body)
    return responses.ok(request, category)


@router.delete("/categories/{categoryId}", summary="Delete an empty article category")
async def delete_category(request: Request, categoryId: str) -> Response:
    return responses.ok(request, Categories(common.caller_of(request)).delete(categoryId))
