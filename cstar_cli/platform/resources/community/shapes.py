"""What the community shows (D43): its objects on the wire and in events (both snake_case, as
the docs show the post object), and who writes: the verified customer (D18) or, with a secret
key, the member a request names with ``member_id``."""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.db import Row
from cstar_cli.wire.ids import COMMENT, POST, TOPIC

STAMPS = ("created_at", "updated_at")


def author_id(kind: str, hex_id: str) -> str:
    """An author's or voter's wire id: ``cus_…`` for a customer, ``mem_…`` for a member."""
    return (ids.CUSTOMER if kind == "customer" else ids.MEMBER) + hex_id


def topic(row: Row, post_count: int) -> dict[str, Any]:
    return {
        "id": TOPIC + row["id"],
        "object": "community_topic",
        **{name: row[name] for name in ("name", "slug", "description", "position")},
        "post_count": post_count,
        **{name: row[name] for name in STAMPS},
    }


def post(row: Row, *, internal: bool = True) -> dict[str, Any]:
    """A post on the wire; ``custom_fields`` are internal (empty unless ``internal``)."""
    return {
        "id": POST + row["id"],
        "object": "community_post",
        **{name: row[name] for name in ("title", "slug", "body")},
        "topic_id": ids.wire(TOPIC, row["topic_id"]),
        **{name: row[name] for name in ("status", "visibility", "vote_count", "comment_count")},
        "is_pinned": bool(row["is_pinned"]),
        "is_locked": bool(row["is_locked"]),
        "custom_fields": json.loads(row["custom_fields"]) if internal else {},
        "attachments": [],
        "author_type": row["author_type"],
        "author_id": author_id(row["author_type"], row["author_id"]),
        "author_name": row["author_name"],
        **{name: row[name] for name in STAMPS},
    }


def post_data(row: Row) -> dict[str, Any]:
    """``data.post`` of the ``community_post.*`` events (the catalogue's sample's fields)."""
    shown = post(row)
    names = ("id", "title", "slug", "body", "topic_id", "status", "visibility", "author_name")
    counts = ("vote_count", "comment_count", "is_pinned", "is_locked", *STAMPS)
    return {name: shown[name] for name in (*names, *counts)}


def comment(row: Row) -> dict[str, Any]:
    return {
        "id": COMMENT + row["id"],
        "object": "community_comment",
        "post_id": POST + row["post_id"],
        "body": row["body"],
        "author_type": row["author_type"],
        "author_id": author_id(row["author_type"], row["author_id"]),
        "author_name": row["author_name"],
        "is_official": bool(row["is_official"]),
        **{name: row[name] for name in STAMPS},
    }


def comment_data(row: Row) -> dict[str, Any]:
    """``data.comment`` of ``community_post.commented``."""
    shown = comment(row)
    return {
        name: shown[name] for name in ("id", "body", "author_name", "is_official", "created_at")
    }


def vote(row: Row, vote_count: int) -> dict[str, Any]:
    return {
        "object": "community_vote",
        "post_id": POST + row["post_id"],
        "voter_type": row["voter_type"],
        "voter_id": author_id(row["voter_type"], row["voter_id"]),
        "voter_name": row["voter_name"],
        "value": row["value"],
        "vote_count": vote_count,
        "created_at": row["created_at"],
    }


class CommunityService(Service):
    """What the community's services share: who writes, and which posts a caller may see."""

    def writer(self, member_id: str | None) -> tuple[str, str, str | None]:
        """``(kind, hex id, name)`` of who writes: through a verified identity the customer
        (``member_id`` refused), with a secret key the member ``member_id`` names (required)."""
        portal = self.caller.identity
        if portal is not None:
            if member_id is not None:
                err = ApiError.forbidden(
                    "insufficient_permissions",
                    "Through a customer identity the customer writes; member_id is for secret "
                    "keys.",
                )
                err.param = "member_id"
                raise err
            return "customer", portal.customer_id, portal.name
        if member_id is None:
            raise ApiError.missing(
                "member_id",
                "member_id is required with a secret key: the member (mem_...) who writes. "
                "A customer writes through a publishable key and a verified identity.",
            )
        row = self.referenced("members", ids.MEMBER, "member_id", member_id, noun="member")
        return "member", row["id"], row["name"]

    def visible_post(self, post_id: str) -> Row:
        """A post this caller may see: a publishable key without an identity sees public posts
        only (404 otherwise)."""
        row = self.row("community_posts", ids.parse(post_id, POST, "postId"))
        if row is None or not self.sees(row):
            raise ApiError.not_found("community post", post_id)
        return row

    def sees(self, row: Row) -> bool:
        if self.principal.is_secret or self.caller.identity is not None:
            return True
        return bool(row["visibility"] == "public")
