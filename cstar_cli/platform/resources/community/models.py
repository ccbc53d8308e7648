"""Models of the community (D43, facts §3.9): requests in, answers out — **snake_case**, as the
docs show the post object (a recorded deviation from the camelCase of the other resources)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import (
    HeadingCreate,
    HeadingUpdate,
    Input,
    Metadata,
    Output,
    Title,
)
from cstar_cli.wire.enums import PostStatus, PostVisibility

Body = Annotated[str, Field(min_length=1, max_length=20_000)]
MemberRef = Annotated[str, Field(min_length=1, max_length=64)]
AuthorType = Literal["customer", "member"]


class Topic(Output):
    id: str
    object: Literal["community_topic"]
    name: str
    slug: str
    description: str | None
    position: int
    post_count: int
    created_at: str
    updated_at: str


class TopicCreate(HeadingCreate):
    pass


class TopicUpdate(HeadingUpdate):
    pass


class Post(Output):
    id: str
    object: Literal["community_post"]
    title: str
    slug: str
    body: str
    topic_id: str | None
    status: PostStatus
    visibility: PostVisibility
    vote_count: int
    comment_count: int
    is_pinned: bool
    is_locked: bool
    custom_fields: dict[str, Any]
    """Internal only: empty for anyone but a secret key."""
    attachments: list[dict[str, Any]]
    """Always empty: attachments are out of scope for the local platform (D43)."""
    author_type: AuthorType
    author_id: str
    author_name: str | None
    created_at: str
    updated_at: str


class PostCreate(Input):
    title: Title
    body: Body
    topic_id: str | None = None
    status: PostStatus = "open"
    visibility: PostVisibility = "public"
    is_pinned: bool = False
    is_locked: bool = False
    custom_fields: Metadata | None = None
    member_id: MemberRef | None = None
    """The author, with a secret key (required then); through an identity, the customer."""


class PostUpdate(Input):
    title: Title | None = None
    body: Body | None = None
    topic_id: str | None = None
    status: PostStatus | None = None
    visibility: PostVisibility | None = None
    is_pinned: bool | None = None
    is_locked: bool | None = None
    custom_fields: Metadata | None = None


class Comment(Output):
    id: str
    object: Literal["community_comment"]
    post_id: str
    body: str
    author_type: AuthorType
    author_id: str
    author_name: str | None
    is_official: bool
    """Written by a team member."""
    created_at: str
    updated_at: str


class CommentCreate(Input):
    body: Body
    member_id: MemberRef | None = None


class Vote(Output):
    object: Literal["community_vote"]
    post_id: str
    voter_type: AuthorType
    voter_id: str
    voter_name: str | None
    value: int
    vote_count: int
    """The post's votes, this one included."""
    created_at: str


class VoteCreate(Input):
    member_id: MemberRef | None = None


class VoteRemoved(Output):
    id: str
    """The post's id."""
    deleted: Literal[True]
    vote_count: int
