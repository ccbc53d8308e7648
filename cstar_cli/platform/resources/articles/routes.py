"""``/articles`` (facts §3.5): list, create, get, update, delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.articles.models import ArticleCreate, ArticleUpdate
from cstar_cli.platform.resources.articles.service import Articles
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.wire.enums import ArticleStatus

router = APIRouter(tags=["articles"])
items = ItemRoutes(router, Articles, "/articles", "articleId")


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


items.create("create_article", ArticleCreate, "Create an article")
items.get("get_article", "Get an article", access=PUBLIC)
items.update("update_article", ArticleUpdate, "Update an article")
items.delete("delete_article", "Delete an article")
