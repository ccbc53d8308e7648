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
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.wire.enums import PostStatus, PostVisibility

router = APIRouter(tags=["community"])
SORT_HELP = (
    "recent (default), votes or comments (pinned posts first); or created_at, updated_at, "
    "vote_count, comment_count, title, with '-' for descending."
)
topics = ItemRoutes(router, Topics, "/community/topics", "topicId")
posts = ItemRoutes(router, Posts, "/community/posts", "postId")
comments = ItemRoutes(router, Comments, "/community/posts/{postId}/comments")


def _paging(
    page: int = common.PAGE,
    pageSize: int = common.PAGE_SIZE,
    sort: str | None = Query(None, description=SORT_HELP),
) -> common.Paging:
    return common.Paging(page, pageSize, sort)


# -- topics --------------------------------------------------------------------------------------
topics.list("list_topics", "List community topics", access=PUBLIC)
topics.create("create_topic", TopicCreate, "Create a community topic")
topics.get("get_topic", "Get a community topic", access=PUBLIC)
topics.update("update_topic", TopicUpdate, "Update a community topic")
topics.delete("delete_topic", "Delete a community topic")


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


posts.create("create_post", PostCreate, "Create a community post", access=PORTAL)
posts.get("get_post", "Get a community post", access=PUBLIC_IDENTIFIED)
posts.update("update_post", PostUpdate, "Update a community post")
posts.delete("delete_post", "Delete a community post")


# -- comments and votes --------------------------------------------------------------------------
comments.list("list_comments", "List a community post's comments", access=PUBLIC_IDENTIFIED)
comments.create("create_comment", CommentCreate, "Comment on a community post", access=PORTAL)


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
