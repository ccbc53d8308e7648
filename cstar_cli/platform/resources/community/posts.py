"""Community posts (D43, facts §3.9): ``pst_`` ids, snake_case, one of the seven documented
statuses, a visibility, pinned and locked flags, and internal ``custom_fields``.

Who sees what: a secret key every post; a publishable key the public ones, and with a verified
identity (D18) the ``members_only`` ones too. Who writes: a secret key on behalf of the member
``member_id`` names, or the verified customer; only a secret key edits or deletes. Events:
``community_post.created``, ``.updated`` (title, body and the other fields, with ``changes``),
``.status_changed`` (with ``changes.status``) and ``.deleted``.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.community import shapes
from cstar_cli.platform.resources.community.models import PostCreate, PostUpdate
from cstar_cli.platform.resources.community.shapes import CommunityService
from cstar_cli.platform.resources.community.topics import Topics
from cstar_cli.platform.resources.filters import Filter, equals, search
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import CREATION_ORDER, Paging, Where, fetch_page, order_by
from cstar_cli.platform.store.updates import Column, FieldMap, changes
from cstar_cli.wire.ids import POST

FIELDS: FieldMap = {
    "title": Column(),
    "body": Column(),
    "status": Column(),
    "visibility": Column(),
    "is_pinned": Column(kind="bool"),
    "is_locked": Column(kind="bool"),
    "custom_fields": Column(kind="merge"),
}
WATCHED = ["title", "body", "topic_id", "visibility", "is_pinned", "is_locked", "custom_fields"]
SORTS = {"recent": "-created_at", "votes": "-vote_count", "comments": "-comment_count"}
"""The documented ``sort`` values (newest, most voted, most commented first; pinned posts
lead), beside the plain fields."""


def in_topic(posts: Posts, where: Where, topic: str) -> None:
    where.add("topic_id = ?", Topics(posts.caller).find(topic, "topic")["id"])


class Posts(CommunityService):
    """The community posts of the caller's team and environment."""

    table = "community_posts"
    prefix = POST
    param = "postId"
    noun = "community post"
    sort_fields = {
        "created_at": CREATION_ORDER,
        "updated_at": "updated_at",
        "vote_count": "vote_count",
        "comment_count": "comment_count",
        "title": "title",
    }
    filters = (
        Filter("topic", in_topic),
        equals("status"),
        equals("visibility"),
        search("title", "body"),
    )

    def shown(self, row: Row) -> dict[str, Any]:
        return shapes.post(row, internal=self.principal.is_secret)

    # -- reading -------------------------------------------------------------------------------
    def list(self, paging: Paging, **given: Any) -> Page:
        where = self.filtered(given)
        if not (self.principal.is_secret or self.caller.identity is not None):
            where.add("visibility = 'public'")
        sort = paging.sort or "recent"
        order = order_by(SORTS.get(sort, sort), self.sort_fields)
        if sort in SORTS:
            order = "is_pinned DESC, " + order
        rows, total = fetch_page(self.db, self.table, where, order, paging)
        return Page([self.shown(row) for row in rows], paging.page, paging.page_size, total)

    def get(self, post_id: str) -> dict[str, Any]:
        return self.shown(self.visible_post(post_id))

    # -- writing -------------------------------------------------------------------------------
    def create(self, body: PostCreate) -> dict[str, Any]:
        kind, author, name = self.writer(body.member_id)
        if self.caller.identity is not None:
            _customer_fields(body)
        topic_id = (
            Topics(self.caller).find(body.topic_id, "topic_id")["id"] if body.topic_id else None
        )
        row = self.new_row(
            {
                "topic_id": topic_id,
                "title": body.title,
                "slug": self._free_slug(slugify(body.title)),
                "body": body.body,
                "status": body.status,
                "visibility": body.visibility,
                "is_pinned": int(body.is_pinned),
                "is_locked": int(body.is_locked),
                "custom_fields": dumps(body.custom_fields or {}),
                "author_type": kind,
                "author_id": author,
                "author_name": name,
                "vote_count": 0,
                "comment_count": 0,
            }
        )
        with self.transaction() as db:
            db.insert(self.table, row)
            self.emit("community_post.created", {"post": shapes.post_data(row)})
        return self.shown(row)

    def update(self, post_id: str, body: PostUpdate) -> dict[str, Any]:
        row = self.load(post_id)
        values = self.patch_values(body, row, FIELDS)
        if "topic_id" in body.model_fields_set:
            values["topic_id"] = self._topic(body.topic_id)

        def announce(updated: Row, _: dict[str, Any]) -> None:
            before, after = shapes.post(row), shapes.post(updated)
            data = shapes.post_data(updated)
            if before["status"] != after["status"]:
                status = {"status": {"from": before["status"], "to": after["status"]}}
                self.emit("community_post.status_changed", {"post": data, "changes": status})
            edited = changes(before, after, WATCHED)
            if edited:
                self.emit("community_post.updated", {"post": data, "changes": edited})

        saved = self.save(
            row, values, show=shapes.post, watched=[*WATCHED, "status"], announce=announce
        )
        return self.shown(saved.row)

    def delete(self, post_id: str) -> dict[str, Any]:
        """Delete a post with its comments and votes."""

        def announce(gone: Row) -> None:
            self.emit("community_post.deleted", {"post": shapes.post_data(gone)})

        return self.remove(self.load(post_id), announce=announce)

    def _topic(self, reference: str | None) -> str | None:
        """The stored id of the topic a body names (by id or slug), if it names one."""
        return None if reference is None else Topics(self.caller).find(reference, "topic_id")["id"]

    def _free_slug(self, base: str) -> str:
        """``base``, or ``base-2``… when another post of the environment has it."""
        slug, n = base, 1
        while self.db.one(
            "SELECT 1 FROM community_posts WHERE team_id = ? AND livemode = ? AND slug = ?",
            (self.principal.team_id, int(self.principal.livemode), slug),
        ):
            n += 1
            slug = f"{base}-{n}"
        return slug


CUSTOMER_FIELDS = frozenset({"title", "body", "topic_id", "visibility"})


def _customer_fields(body: PostCreate) -> None:
    """A customer sets a post's title, body, topic and visibility; the rest is the team's."""
    extra = sorted(body.model_fields_set - CUSTOMER_FIELDS)
    if extra:
        err = ApiError.forbidden(
            "insufficient_permissions",
            "Through a customer identity only title, body, topic_id and visibility can be "
            f"set; '{extra[0]}' is not.",
        )
        err.param = extra[0]
        raise err
