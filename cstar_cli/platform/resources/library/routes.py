"""The public library API (D25, facts §3.16): a help center anyone may read, no key needed.

``/api/library/{teamSlugOrId}/…``: published, public articles only, their categories, search,
and the two things a reader may write: a view and a helpful / not helpful vote. Without a key it
serves live data; with a key of the team (a ``pk_test_`` one for test data) that key's
environment. The gateway (``callers``) resolves the team and the caller before these run.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import LIBRARY
from cstar_cli.platform.http.bounds import MAX_SEARCH
from cstar_cli.platform.resources.common import caller_of
from cstar_cli.platform.resources.library.models import FeedbackCreate
from cstar_cli.platform.resources.library.service import Library

router = APIRouter(tags=["library"])

PREFIX = "/api/library/{teamSlugOrId}"
LIMIT = Query(20, ge=1, le=100, description="How many articles, 1 to 100.")


@router.get("/articles", summary="Library: published articles", openapi_extra=LIBRARY)
async def library_articles(
    request: Request,
    teamSlugOrId: str,
    limit: int = LIMIT,
    category: str | None = Query(None, description="A category's id, name or slug."),
    sort: Literal["newest", "popular"] = Query(
        "newest", description="newest first, or popular: the most viewed first (D47)."
    ),
) -> Response:
    articles = Library(caller_of(request)).articles(limit=limit, category=category, sort=sort)
    return responses.plain_list(request, articles)


@router.get("/articles/{slug}", summary="Library: one article by slug", openapi_extra=LIBRARY)
async def library_article(request: Request, teamSlugOrId: str, slug: str) -> Response:
    return responses.ok(request, Library(caller_of(request)).article(slug))


@router.get("/categories", summary="Library: categories", openapi_extra=LIBRARY)
async def library_categories(request: Request, teamSlugOrId: str) -> Response:
    return responses.plain_list(request, Library(caller_of(request)).categories())


@router.get("/search", summary="Library: search published articles", openapi_extra=LIBRARY)
async def library_search(
    request: Request,
    teamSlugOrId: str,
    q: str = Query(..., min_length=1, max_length=MAX_SEARCH, description="Words to look for."),
    limit: int = LIMIT,
) -> Response:
    return responses.plain_list(request, Library(caller_of(request)).search(q, limit=limit))


@router.post(
    "/articles/{slug}/view", summary="Library: count a view of an article", openapi_extra=LIBRARY
)
async def library_view_article(request: Request, teamSlugOrId: str, slug: str) -> Response:
    return responses.ok(request, Library(caller_of(request)).view(slug))


@router.post(
    "/articles/{slug}/feedback",
    status_code=201,
    summary="Library: say whether an article helped",
    openapi_extra=LIBRARY,
)
async def library_feedback(
    request: Request, teamSlugOrId: str, slug: str, body: FeedbackCreate
) -> Response:
    feedback = Library(caller_of(request)).feedback(slug, body)
    return responses.ok(request, feedback, status=201)
