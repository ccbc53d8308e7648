"""The community (D43) over a real socket: topics, posts, comments and votes, snake_case;
who may read and write them (D23, D18); their events."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.platform.test_identity_portal import error_of, identity_headers
from tests.support.platforms import OwnPlatform, Start, data


@pytest.fixture
def own(own_platform: Start) -> OwnPlatform:
    return own_platform()


def member_id(staff: httpx.Client, own: OwnPlatform) -> str:
    members = data(staff.get(own.team("/members"), params={"role": "agent"}))
    return str(members[0]["id"])


def new_post(staff: httpx.Client, own: OwnPlatform, **fields: Any) -> dict[str, Any]:
    """A post made with ``fields`` (answered 201), in wire form."""
    post: dict[str, Any] = data(staff.post(own.team("/community/posts"), json=fields), 201)
    return post


def events_of(staff: httpx.Client, own: OwnPlatform, kind: str) -> list[dict[str, Any]]:
    return list(data(staff.get(own.team("/events"), params={"type": kind})))


def test_topics_posts_comments_and_votes_with_a_secret_key(own: OwnPlatform) -> None:
    with own.client() as staff:
        agent = member_id(staff, own)
        topic = data(staff.post(own.team("/community/topics"), json={"name": "Ideas"}), 201)
        assert topic["id"].startswith("top_") and topic["slug"] == "ideas"
        assert topic["post_count"] == 0
        clash = staff.post(own.team("/community/topics"), json={"name": "Ideas"})
        assert clash.status_code == 409 and error_of(clash)["param"] == "slug"
        missing = staff.post(own.team("/community/posts"), json={"title": "t", "body": "b"})
        assert missing.status_code == 400
        assert error_of(missing)["code"] == "parameter_missing"
        assert error_of(missing)["param"] == "member_id"
        post = new_post(
            staff,
            own,
            title="Dark mode",
            body="Please",
            topic_id="ideas",
            member_id=agent,
            custom_fields={"jira": "UX-1"},
        )
        assert post["id"].startswith("pst_") and len(post["id"]) == 36
        assert post["topic_id"] == topic["id"] and post["status"] == "open"
        assert post["author_type"] == "member" and post["author_id"] == agent
        assert post["vote_count"] == 0 and post["is_locked"] is False
        assert post["custom_fields"] == {"jira": "UX-1"}
        bare = str(uuid.UUID(post["id"][4:]))
        assert data(staff.get(own.team(f"/community/posts/{bare}")))["id"] == post["id"]
        wrong = staff.get(own.team(f"/community/posts/{topic['id']}"))
        assert wrong.status_code == 400

        comment = data(
            staff.post(
                own.team(f"/community/posts/{post['id']}/comments"),
                json={"body": "Planned!", "member_id": agent},
            ),
            201,
        )
        assert comment["id"].startswith("cmt_") and comment["is_official"] is True
        listed = data(staff.get(own.team(f"/community/posts/{post['id']}/comments")))
        assert [c["id"] for c in listed] == [comment["id"]]

        vote = data(
            staff.post(own.team(f"/community/posts/{post['id']}/votes"), json={"member_id": agent}),
            201,
        )
        assert vote["vote_count"] == 1 and vote["voter_id"] == agent
        again = staff.post(
            own.team(f"/community/posts/{post['id']}/votes"), json={"member_id": agent}
        )
        assert again.status_code == 200 and again.json()["data"]["vote_count"] == 1
        no_voter = staff.post(own.team(f"/community/posts/{post['id']}/votes"), json={})
        assert error_of(no_voter)["param"] == "member_id"

        changed = data(
            staff.patch(
                own.team(f"/community/posts/{post['id']}"),
                json={"status": "planned", "title": "Dark mode, please", "is_locked": True},
            )
        )
        assert changed["status"] == "planned" and changed["comment_count"] == 1
        locked = staff.post(
            own.team(f"/community/posts/{post['id']}/comments"),
            json={"body": "+1", "member_id": agent},
        )
        assert locked.status_code == 409 and error_of(locked)["code"] == "resource_conflict"
        bad_status = staff.patch(own.team(f"/community/posts/{post['id']}"), json={"status": "x"})
        assert bad_status.status_code == 400 and error_of(bad_status)["param"] == "status"

        removed = data(
            staff.delete(
                own.team(f"/community/posts/{post['id']}/votes"), params={"member_id": agent}
            )
        )
        assert removed == {"id": post["id"], "deleted": True, "vote_count": 0}
        gone = staff.delete(
            own.team(f"/community/posts/{post['id']}/votes"), params={"member_id": agent}
        )
        assert gone.status_code == 404

        assert data(staff.get(own.team(f"/community/topics/{topic['id']}")))["post_count"] == 1
        assert data(staff.delete(own.team(f"/community/posts/{post['id']}")))["deleted"] is True
        assert staff.get(own.team(f"/community/posts/{post['id']}")).status_code == 404

        kinds = ["created", "commented", "voted", "status_changed", "updated", "deleted"]
        for kind in kinds:
            found = events_of(staff, own, f"community_post.{kind}")
            assert len(found) == 1, kind
            assert found[0]["data"]["post"]["id"] == post["id"]
        status = events_of(staff, own, "community_post.status_changed")[0]["data"]
        assert status["changes"] == {"status": {"from": "open", "to": "planned"}}
        updated = events_of(staff, own, "community_post.updated")[0]["data"]
        assert set(updated["changes"]) == {"title", "is_locked"}
        voted = events_of(staff, own, "community_post.voted")[0]["data"]
        assert voted["vote"]["value"] == 1 and voted["post"]["vote_count"] == 1
        commented = events_of(staff, own, "community_post.commented")[0]["data"]
        assert commented["comment"]["id"] == comment["id"]
        assert commented["post"]["comment_count"] == 1


def test_posts_list_filters_and_documented_sorts(own: OwnPlatform) -> None:
    with own.client() as staff:
        agent = member_id(staff, own)
        data(staff.post(own.team("/community/topics"), json={"name": "Bugs"}), 201)
        made = []
        for title, topic in (("a", "bugs"), ("b", None), ("c", "bugs")):
            made.append(
                new_post(staff, own, title=title, body="x", member_id=agent, topic_id=topic)
            )
        staff.post(own.team(f"/community/posts/{made[0]['id']}/votes"), json={"member_id": agent})

        def titles(**params: Any) -> list[str]:
            return [
                p["title"] for p in data(staff.get(own.team("/community/posts"), params=params))
            ]

        assert titles() == ["c", "b", "a"]
        assert titles(sort="votes")[0] == "a"
        assert titles(sort="created_at") == ["a", "b", "c"]
        assert titles(topic="bugs") == ["c", "a"]
        staff.patch(own.team(f"/community/posts/{made[1]['id']}"), json={"is_pinned": True})
        assert titles()[0] == "b"
        bad = staff.get(own.team("/community/posts"), params={"sort": "createdAt"})
        assert bad.status_code == 400 and error_of(bad)["param"] == "sort"
        unknown = staff.get(own.team("/community/posts"), params={"topic": "nope"})
        assert unknown.status_code == 400 and error_of(unknown)["param"] == "topic"


def test_publishable_key_reads_public_posts_and_an_identity_writes(own: OwnPlatform) -> None:
    keys = own.server.keys
    with own.client() as staff:
        agent = member_id(staff, own)
        public = new_post(
            staff, own, title="Public", body="x", member_id=agent, custom_fields={"a": 1}
        )
        private = new_post(
            staff, own, title="Members", body="x", member_id=agent, visibility="members_only"
        )
    with own.client(keys.publishable_key) as widget:
        seen = data(widget.get(own.team("/community/posts")))
        assert [p["title"] for p in seen] == ["Public"]
        assert seen[0]["custom_fields"] == {}
        assert widget.get(own.team(f"/community/posts/{private['id']}")).status_code == 404
        assert widget.get(own.team(f"/community/posts/{public['id']}/comments")).status_code == 200
        assert widget.get(own.team("/community/topics")).status_code == 200
        for path, body in (
            ("/community/posts", {"title": "t", "body": "b"}),
            (f"/community/posts/{public['id']}/votes", {}),
            (f"/community/posts/{public['id']}/comments", {"body": "b"}),
            ("/community/topics", {"name": "n"}),
        ):
            refused = widget.post(own.team(path), json=body)
            assert refused.status_code == 403, path
            assert error_of(refused)["code"] == "publishable_key_write"
        patch = widget.patch(own.team(f"/community/posts/{public['id']}"), json={"title": "x"})
        assert patch.status_code == 403
        unvote = widget.delete(own.team(f"/community/posts/{public['id']}/votes"))
        assert unvote.status_code == 403
        assert error_of(unvote)["code"] == "publishable_key_write"
        topic = data(widget.get(own.team("/community/topics")))
        assert topic == []

        as_jane = identity_headers(keys.secret_key, "jane@example.com", name="Jane")
        seen = data(widget.get(own.team("/community/posts"), headers=as_jane))
        assert {p["title"] for p in seen} == {"Public", "Members"}
        mine = data(
            widget.post(
                own.team("/community/posts"), json={"title": "Mine", "body": "b"}, headers=as_jane
            ),
            201,
        )
        assert mine["author_type"] == "customer" and mine["author_name"]
        assert mine["author_id"].startswith("cus_")
        vote = data(
            widget.post(own.team(f"/community/posts/{public['id']}/votes"), headers=as_jane), 201
        )
        assert vote["voter_type"] == "customer" and vote["vote_count"] == 1
        comment = data(
            widget.post(
                own.team(f"/community/posts/{public['id']}/comments"),
                json={"body": "Me too"},
                headers=as_jane,
            ),
            201,
        )
        assert comment["is_official"] is False
        pinned = widget.post(
            own.team("/community/posts"),
            json={"title": "t", "body": "b", "is_pinned": True},
            headers=as_jane,
        )
        assert pinned.status_code == 403 and error_of(pinned)["param"] == "is_pinned"
        as_member = widget.post(
            own.team(f"/community/posts/{public['id']}/votes"),
            json={"member_id": agent},
            headers=as_jane,
        )
        assert as_member.status_code == 403 and error_of(as_member)["param"] == "member_id"
        unvote = data(
            widget.delete(own.team(f"/community/posts/{public['id']}/votes"), headers=as_jane)
        )
        assert unvote["vote_count"] == 0
        delete = widget.delete(own.team(f"/community/posts/{mine['id']}"), headers=as_jane)
        assert delete.status_code == 403
