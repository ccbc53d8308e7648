"""A community post's comments and votes (D43).

Comments: anyone who may see the post reads them; the verified customer or, with a secret key,
the member ``member_id`` names writes one (``is_official`` when a member does) — never on a
locked post (409). ``community_post.commented`` carries the post and the comment.

Votes: one per voter and post. A vote that is already there is answered as it stands (200, no
event); a new one counts (201, ``community_post.voted``). Removing a vote takes the voter's away
(404 when there is none) and fires nothing: the catalogue has no event for it.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.community import shapes
from cstar_cli.platform.resources.community.models import CommentCreate
from cstar_cli.platform.resources.community.shapes import CommunityService
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import CREATION_ORDER, Paging
from cstar_cli.wire.ids import COMMENT, POST

COUNT_VOTES = "UPDATE community_posts SET vote_count = ? WHERE id = ?"


class Comments(CommunityService):
    """The comments of one post."""

    table = "community_comments"
    prefix = COMMENT
    param = "commentId"
    noun = "community comment"
    sort_fields = {"created_at": CREATION_ORDER}

    def list(self, post_id: str, paging: Paging) -> Page:
        """A post's comments, oldest first."""
        post = self.visible_post(post_id)
        where = self.where()
        where.add("post_id = ?", post["id"])
        return self.page(where, paging, shapes.comment, default_sort="created_at")

    def create(self, post_id: str, body: CommentCreate) -> dict[str, Any]:
        post = self.visible_post(post_id)
        kind, author, name = self.writer(body.member_id)
        if post["is_locked"]:
            raise ApiError.conflict(
                "This post is locked: it takes no more comments (PATCH is_locked: false to "
                "reopen it).",
                param="postId",
            )
        row = self.new_row(
            {
                "post_id": post["id"],
                "body": body.body,
                "author_type": kind,
                "author_id": author,
                "author_name": name,
                "is_official": int(kind == "member"),
            }
        )
        with self.transaction() as db:
            db.insert(self.table, row)
            db.execute(
                "UPDATE community_posts SET comment_count = comment_count + 1 WHERE id = ?",
                (post["id"],),
            )
            updated = {**post, "comment_count": post["comment_count"] + 1}
            self.emit(
                "community_post.commented",
                {"post": shapes.post_data(updated), "comment": shapes.comment_data(row)},
            )
        return shapes.comment(row)


class Votes(CommunityService):
    """The votes on one post: one per voter."""

    table = "community_votes"
    prefix = POST
    param = "postId"
    noun = "community vote"

    def add(self, post_id: str, member_id: str | None) -> tuple[dict[str, Any], bool]:
        """``(vote, created)``: the voter's vote, new or as it was."""
        post = self.visible_post(post_id)
        kind, voter, name = self.writer(member_id)
        found = self._vote_of(post["id"], kind, voter)
        if found is not None:
            return shapes.vote(found, post["vote_count"]), False
        row: Row = {
            "id": ids.new_hex(),
            "post_id": post["id"],
            "team_id": self.principal.team_id,
            "livemode": int(self.principal.livemode),
            "voter_type": kind,
            "voter_id": voter,
            "voter_name": name,
            "value": 1,
            "created_at": self.stamp(),
        }
        count = post["vote_count"] + 1
        with self.transaction() as db:
            db.insert(self.table, row)
            db.execute(COUNT_VOTES, (count, post["id"]))
            vote = {"value": 1, "voter_name": name, "created_at": row["created_at"]}
            data = shapes.post_data({**post, "vote_count": count})
            self.emit("community_post.voted", {"post": data, "vote": vote})
        return shapes.vote(row, count), True

    def remove_vote(self, post_id: str, member_id: str | None) -> dict[str, Any]:
        """Take the voter's vote away: ``{id, deleted: true, vote_count}``."""
        post = self.visible_post(post_id)
        kind, voter, _ = self.writer(member_id)
        found = self._vote_of(post["id"], kind, voter)
        if found is None:
            raise ApiError.not_found("vote by this voter on community post", post_id)
        count = max(0, post["vote_count"] - 1)
        with self.transaction() as db:
            db.execute("DELETE FROM community_votes WHERE id = ?", (found["id"],))
            db.execute(COUNT_VOTES, (count, post["id"]))
            self.audit("community_post.unvoted", POST + post["id"], {"vote_count": count})
        return {"id": POST + post["id"], "deleted": True, "vote_count": count}

    def _vote_of(self, post_hex: str, kind: str, voter: str) -> Row | None:
        return self.db.one(
            "SELECT * FROM community_votes WHERE post_id = ? AND voter_type = ? AND voter_id = ?",
            (post_hex, kind, voter),
        )
