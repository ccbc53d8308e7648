"""``/community/*`` (D43, facts §3.9): topics, posts, a post's comments and votes — snake_case.

Access (D23, widened by D43/D44 for a verified identity): any key of the team reads topics and
public posts with their comments; a publishable key with a verified identity (D18) also reads
``members_only`` posts and writes posts, comments and votes as that customer; a secret key does
everything, writing on behalf of the member ``member_id`` names.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PORTAL, PUBLIC, PUBLIC_IDENTIFIED
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.community.models import (
    CommentCreate,
    PostCreate,
    PostUpdate,
    TopicCreate,
    TopicUpdate,
    VoteCreate,
)
from cstar_cli.platform.resources.community.posts import Posts
from cstar_cli.platform.resources.community.threads import Comments, Votes
from cstar_cli.platform.resources.community.topics import Topics
from cstar_cli.wire.enums import PostStatus, PostVisibility

router = APIRouter(tags=["community"])
SORT_HELP = (
    "recent (default), votes or comments (pinned posts first); or created_at, updated_at, "
    "vote_count, comment_count, title, with '-' for descending."
)


def _paging(
    page: int = common.PAGE,
    pageSize: int = common.PAGE_SIZE,
    sort: str | None = Query(None, description=SORT_HELP),
) -> common.Paging:
    return common.Paging(page, pageSize, sort)


# -- topics --------------------------------------------------------------------------------------
@router.get("/community/topics", summary="List community topics", openapi_extra=PUBLIC)
async def list_topics(
    request: Request, paging: common.Paging = Depends(common.page_params)
) -> Response:
    return responses.paged(request, Topics(common.caller_of(request)).list(paging))


@router.post("/community/topics", status_code=201, summary="Create a community topic")
async def create_topic(request: Request, body: TopicCreate) -> Response:
    return responses.ok(request, Topics(common.caller_of(request)).create(body), status=201)


@router.get("/community/topics/{topicId}", summary="Get a community topic", openapi_extra=PUBLIC)
async def get_topic(request: Request, topicId: str) -> Response:
    return responses.ok(request, Topics(common.caller_of(request)).get(topicId))


@router.patch("/community/topics/{topicId}", summary="Update a community topic")
async def update_topic(request: Request, topicId: str, body: TopicUpdate) -> Response:
    return responses.ok(request, Topics(common.caller_of(request)).update(topicId, body))


@router.delete("/community/topics/{topicId}", summary="Delete a community topic")
async def delete_topic(request: Request, topicId: str) -> Response:
    return responses.ok(request, Topics(common.caller_of(request)).delete(topicId))


# -- posts ---------------------------------------------------------------------------------------
@router.get("/community/posts", summary="List community posts", openapi_extra=PUBLIC_IDENTIFIED)
async def list_posts(
    request: Request,
    paging: common.Paging = Depends(_paging),
    topic: str | None = Query(None, max_length=200, description="Topic slug or id (top_...)."),
    status: PostStatus | None = Query(None),
    visibility: PostVisibility | None = Query(None),
    search: str | None = common.search_query("Text in the title or body."),
) -> Response:
    page = Posts(common.caller_of(request)).list(
        paging, topic=topic, status=status, visibility=visibility, search=search
    )
    return responses.paged(request, page)


@router.post(
    "/community/posts", status_code=201, summary="Create a community post", openapi_extra=PORTAL
)
async def create_post(request: Request, body: PostCreate) -> Response:
    return responses.ok(request, Posts(common.caller_of(request)).create(body), status=201)


@router.get(
    "/community/posts/{postId}", summary="Get a community post", openapi_extra=PUBLIC_IDENTIFIED
)
async def get_post(request: Request, postId: str) -> Response:
    return responses.ok(request, Posts(common.caller_of(request)).get(postId))


@router.patch("/community/posts/{postId}", summary="Update a community post")
async def update_post(request: Request, postId: str, body: PostUpdate) -> Response:
    return responses.ok(request, Posts(common.caller_of(request)).update(postId, body))


@router.delete("/community/posts/{postId}", summary="Delete a community post")
async def delete_post(request: Request, postId: str) -> Response:
    return responses.ok(request, Posts(common.caller_of(request)).delete(postId))


# -- comments and votes --------------------------------------------------------------------------
@router.get(
    "/community/posts/{postId}/comments",
    summary="List a community post's comments",
    openapi_extra=PUBLIC_IDENTIFIED,
)
async def list_comments(
    request: Request, postId: str, paging: common.Paging = Depends(common.page_params)
) -> Response:
    return responses.paged(request, Comments(common.caller_of(request)).list(postId, paging))


@router.post(
    "/community/posts/{postId}/comments",
    status_code=201,
    summary="Comment on a community post",
    openapi_extra=PORTAL,
)
async def create_comment(request: Request, postId: str, body: CommentCreate) -> Response:
    comment = Comments(common.caller_of(request)).create(postId, body)
    return responses.ok(request, comment, status=201)


@router.post(
    "/community/posts/{postId}/votes",
    status_code=201,
    summary="Vote for a community post (once per voter)",
    openapi_extra=PORTAL,
)
async def add_vote(request: Request, postId: str, body: VoteCreate | None = None) -> Response:
    vote, created = Votes(common.caller_of(request)).add(postId, body.member_id if body else None)
    return responses.ok(request, vote, status=201 if created else 200)


@router.delete(
    "/community/posts/{postId}/votes",
    summary="Take a vote back from a community post",
    openapi_extra=PORTAL,
)
async def remove_vote(
    request: Request,
    postId: str,
    member_id: str | None = Query(None, max_length=64, description="The voter, with a secret key."),
) -> Response:
    return responses.ok(request, Votes(common.caller_of(request)).remove_vote(postId, member_id))
