"""The community (D43) and CSAT (D44) in data files (D34) and resets (D33): the same bytes
after a round trip, members by email, counts recomputed, natural keys, errors by JSON path."""

from __future__ import annotations

import json

import pytest

from tests.platform.test_datafiles import export, load
from tests.platform.test_identity_portal import identity_headers
from tests.support.platforms import OwnPlatform, Start, data


@pytest.fixture
def own(own_platform: Start) -> OwnPlatform:
    return own_platform()


def fill(own: OwnPlatform) -> None:
    t = own.team
    keys = own.server.keys
    with own.client() as staff:
        agent = data(staff.get(t("/members"), params={"role": "agent"}))[0]["id"]
        data(staff.post(t("/community/topics"), json={"name": "Ideas", "description": "d"}), 201)
        post = {"title": "Dark mode", "body": "b", "topic_id": "ideas", "member_id": agent}
        made = data(staff.post(t("/community/posts"), json=post), 201)
        staff.patch(t(f"/community/posts/{made['id']}"), json={"custom_fields": {"k": 1}})
    as_jane = identity_headers(keys.secret_key, "jane@example.com")
    with own.client(keys.publishable_key) as widget:
        mine = {"title": "Export", "body": "CSV please", "visibility": "members_only"}
        data(widget.post(t("/community/posts"), json=mine, headers=as_jane), 201)
        data(widget.post(t(f"/community/posts/{made['id']}/votes"), headers=as_jane), 201)
        comment = {"body": "Yes!"}
        data(
            widget.post(
                t(f"/community/posts/{made['id']}/comments"), json=comment, headers=as_jane
            ),
            201,
        )
        ticket = data(widget.post(t("/tickets"), json={"title": "Help"}, headers=as_jane), 201)
        survey = {"ticketId": ticket["id"], "rating": 4, "comment": "ok"}
        data(widget.post(t("/csat/surveys"), json=survey, headers=as_jane), 201)
    with own.client() as staff:
        staff.post(t(f"/community/posts/{made['id']}/votes"), json={"member_id": agent})
        staff.patch(t("/csat/settings"), json={"question": "How did we do?"})


def test_round_trip_and_reset(own: OwnPlatform) -> None:
    fill(own)
    with own.client() as api:
        first = export(own, api)
        doc = json.loads(first)
        [idea, csv] = doc["community"]["posts"]
        assert idea["author_type"] == "member" and idea["author_id"] == "grace@example.com"
        assert [v["voter_type"] for v in idea["votes"]] == ["customer", "member"]
        assert idea["comments"][0]["author_id"].startswith("cus_")
        assert csv["visibility"] == "members_only" and "vote_count" not in csv
        assert doc["csat"]["settings"]["question"] == "How did we do?"
        assert doc["csat"]["surveys"][0]["rating"] == 4
        assert "mem_" not in first
        answer = load(own, api, doc)["data"]
        assert answer["loaded"]["communityPosts"] == 2
        assert answer["loaded"]["communityVotes"] == 2
        assert answer["loaded"]["csatSurveys"] == 1
        assert answer["deleted"]["communityPosts"] == 2
        assert export(own, api) == first
        [post] = [p for p in data(api.get(own.team("/community/posts"))) if p["id"] == idea["id"]]
        assert post["vote_count"] == 2 and post["comment_count"] == 1
        assert post["custom_fields"] == {"k": 1}
        [comment] = data(api.get(own.team(f"/community/posts/{idea['id']}/comments")))
        assert comment["is_official"] is False
        assert data(api.get(own.team("/csat/stats")))["responses"] == 1
        assert api.get(own.team("/events")).json()["pagination"]["total"] == 0

        reset = data(api.post(own.team("/test-helpers/reset")))
        assert reset["deleted"]["communityPosts"] == 2
        assert reset["deleted"]["communityTopics"] == 1
        assert reset["deleted"]["communityVotes"] == 2
        assert data(api.get(own.team("/community/posts"))) == []
        assert "community" not in json.loads(export(own, api))


def test_a_hand_written_seed_and_its_errors(own: OwnPlatform) -> None:
    seed = {
        "cstarData": 1,
        "customers": [{"name": "Ada", "email": "ada@x.test"}],
        "tickets": [{"id": "tkt_" + "1" * 32, "title": "t", "customerId": "ada@x.test"}],
        "community": {
            "topics": [{"name": "Bugs"}],
            "posts": [
                {
                    "title": "Crash",
                    "body": "b",
                    "topic_id": "bugs",
                    "author_type": "customer",
                    "author_id": "ADA@x.test",
                    "votes": [{"voter_type": "member", "voter_id": "alan@example.com"}],
                    "comments": [
                        {"body": "Fixed", "author_type": "member", "author_id": "ada@example.com"}
                    ],
                }
            ],
        },
        "csat": {"surveys": [{"ticketId": "tkt_" + "1" * 32, "rating": 2}]},
    }
    with own.client() as api:
        load(own, api, seed)
        [post] = data(api.get(own.team("/community/posts")))
        assert post["author_name"] == "Ada" and post["vote_count"] == 1
        assert post["topic_id"].startswith("top_")
        [comment] = data(api.get(own.team(f"/community/posts/{post['id']}/comments")))
        assert comment["is_official"] is True and comment["author_name"] == "Ada Lovelace"
        [survey] = data(api.get(own.team("/csat/surveys")))
        assert survey["customerId"] == post["author_id"]

        bad = json.loads(json.dumps(seed))
        bad["community"]["posts"][0]["author_type"] = "robot"
        error = load(own, api, bad, 400)["error"]
        assert error["param"] == "community.posts[0].author_type"
        twice = json.loads(json.dumps(seed))
        twice["csat"]["surveys"].append({"ticketId": "tkt_" + "1" * 32, "rating": 5})
        error = load(own, api, twice, 400)["error"]
        assert error["param"] == "csat.surveys[1].ticketId"
        # nothing of a bad file was applied: the first seed is still there
        assert len(data(api.get(own.team("/community/posts")))) == 1
