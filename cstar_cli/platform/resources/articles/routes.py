"""``/articles`` (facts §3.5): list, create, get, update, delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.articles.models import ArticleCreate, ArticleUpdate
from cstar_cli.platform.resources.articles.service import Articles
from cstar_cli.wire.enums import ArticleStatus

router = APIRouter(tags=["articles"])


@router.get("/articles", summary="List articles", openapi_extra=PUBLIC)
async def list_articles(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    status: ArticleStatus | None = Query(None),
    category: str | None = Query(None, description="Category id or name."),
    isPublic: str | None = Query(None, description="true or false."),
    search: str | None = common.search_query("Text in the title or content."),
    tag: str | None = Query(None),
) -> Response:
    page = Articles(common.caller_of(request)).list(
        paging,
        status=status,
        category=category,
        is_public=common.bool_query(isPublic, "isPublic"),
        search=search,
        tag=tag,
    )
    return responses.paged(request, page)


@router.post("/articles", status_code=201, summary="Create an article")
async def create_article(request: Request, body: ArticleCreate) -> Response:
    article = Articles(common.caller_of(request)).create(body)
    return responses.ok(request, article, status=201)


@router.get("/articles/{articleId}", summary="Get an article", openapi_extra=PUBLIC)
async def get_article(request: Request, articleId: str) -> Response:
    return responses.ok(request, Articles(common.caller_of(request)).get(articleId))


@router.patch("/articles/{articleId}", summary="Update an article")
async def update_article(request: Request, articleId: str, body: ArticleUpdate) -> Response:
    return responses.ok(request, Articles(common.caller_of(request)).update(articleId, body))


@router.delete("/articles/{articleId}", summary="Delete an article")
async def delete_article(request: Request, articleId: str) -> Response:
    return responses.ok(request, Articles(common.caller_of(request)).delete(articleId))
