"""The public library (D25) and categories over a real socket: no key, live or test data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.platforms import OwnPlatform, Start, data


@pytest.fixture
def library(own_platform: Start) -> OwnPlatform:
    return own_platform()


def code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def publish(staff: httpx.Client, p: OwnPlatform, title: str, **fields: Any) -> dict[str, Any]:
    body = {"title": title, "status": "published", "isPublic": True, **fields}
    article: dict[str, Any] = data(staff.post(p.team("/articles"), json=body), 201)
    return article


def test_without_a_key_the_library_serves_published_public_live_articles(
    library: OwnPlatform,
) -> None:
    keys = library.server.keys
    with library.client(keys.live_secret_key) as live, library.client() as test:
        shown = publish(live, library, "Reset your password", content="Click reset.", notes="n")
        live.post(library.team("/articles"), json={"title": "Draft plan"})
        publish(live, library, "Private", isPublic=False)
        publish(test, library, "Test-mode article")
    with httpx.Client(base_url=library.server.api_base) as anonymous:
        for team in (keys.team_id, "local-dev"):  # the team's id or its slug
            listed = data(anonymous.get(f"/api/library/{team}/articles"))
            assert [a["title"] for a in listed] == ["Reset your password"]
        one_answer = anonymous.get(f"/api/library/local-dev/articles/{shown['slug']}")
        assert one_answer.headers["x-ratelimit-limit"] == "200"  # per IP address, without a key
        one = data(one_answer)
        missing = anonymous.get("/api/library/local-dev/articles/draft-plan")
        unknown = anonymous.get("/api/library/no-such-team/articles")
    assert one["id"] == shown["id"] and one["content"] == "Click reset."
    assert not {"notes", "metadata", "status", "isPublic", "useCount"} & set(one)
    assert code(missing) == (404, "resource_missing")
    assert code(unknown) == (404, "resource_missing")
    assert "no-such-team" in unknown.json()["error"]["message"]


def test_a_key_picks_its_environment_and_must_belong_to_the_team(library: OwnPlatform) -> None:
    keys = library.server.keys
    with library.client() as test:
        publish(test, library, "Only in test mode")
    path = "/api/library/local-dev/articles"
    with library.client(keys.publishable_key) as public:
        assert [a["title"] for a in data(public.get(path))] == ["Only in test mode"]
    with library.client(keys.live_publishable_key) as live:
        assert data(live.get(path)) == []
    with library.client("pk_test_" + "x" * 32) as unknown_key:
        assert code(unknown_key.get(path)) == (401, "invalid_api_key")
    with library.client(keys.publishable_key) as public:
        missing = public.get("/api/library/another-team/articles")
        assert code(missing) == (404, "resource_missing")
        assert missing.headers["x-ratelimit-limit"] == "100"


def test_categories_search_views_and_feedback(library: OwnPlatform) -> None:
    lib = "/api/library/local-dev"
    with library.client() as staff:
        billing = data(staff.post(library.team("/categories"), json={"name": "Billing"}), 201)
        data(staff.post(library.team("/categories"), json={"name": "Empty", "position": 1}), 201)
        paying = publish(staff, library, "Paying by card", categoryId=billing["id"], content="Visa")
        publish(staff, library, "Refunds", content="Paying back takes a week")
        staff.post(library.team("/articles"), json={"title": "Paying draft", "category": "Billing"})
    with library.client(library.server.keys.publishable_key) as reader:
        cats = data(reader.get(f"{lib}/categories"))
        assert [(c["name"], c["slug"], c["articleCount"]) for c in cats] == [
            ("Billing", "billing", 1),
            ("Empty", "empty", 0),
        ]
        for by in (billing["id"], "Billing", "billing"):
            in_billing = data(reader.get(f"{lib}/articles", params={"category": by}))
            assert [a["title"] for a in in_billing] == ["Paying by card"]
        found = data(reader.get(f"{lib}/search", params={"q": "paying", "limit": 5}))
        assert [a["title"] for a in found] == ["Paying by card", "Refunds"]  # title hits first
        assert code(reader.get(f"{lib}/search")) == (400, "parameter_missing")
        slug = paying["slug"]
        assert data(reader.post(f"{lib}/articles/{slug}/view"))["viewCount"] == 1
        voted = data(
            reader.post(
                f"{lib}/articles/{slug}/feedback", json={"rating": "helpful", "comment": "Thanks"}
            ),
            201,
        )
        assert (voted["helpfulCount"], voted["notHelpfulCount"]) == (1, 0)
        bad = reader.post(f"{lib}/articles/{slug}/feedback", json={"rating": "meh"})
        assert code(bad) == (400, "parameter_invalid")
    with library.client() as staff:
        article = data(staff.get(library.team(f"/articles/{paying['id']}")))
    assert (article["viewCount"], article["helpfulCount"], article["notHelpfulCount"]) == (1, 1, 0)
    assert article["categoryId"] == billing["id"] and article["category"] == "Billing"


def test_readers_without_a_key_may_count_views_and_vote(library: OwnPlatform) -> None:
    with library.client(library.server.keys.live_secret_key) as live:
        slug = publish(live, library, "Live article")["slug"]
    lib = "/api/library/local-dev"
    with httpx.Client(base_url=library.server.api_base) as anonymous:
        assert data(anonymous.post(f"{lib}/articles/{slug}/view"))["viewCount"] == 1
        vote = anonymous.post(f"{lib}/articles/{slug}/feedback", json={"rating": "not_helpful"})
        assert data(vote, 201)["notHelpfulCount"] == 1
        assert code(anonymous.post(f"{lib}/articles/{slug}")) == (405, "method_not_allowed")
        assert code(anonymous.get("/api/v1/auth/whoami")) == (401, "authentication_required")
    with library.client(library.server.keys.live_secret_key) as live:
        logged = data(live.get(library.team("/logs"), params={"path": "/api/library/"}))
    assert {(e["method"], e["key"]) for e in logged} >= {("POST", None)}


def test_categories_are_a_team_resource_with_unique_names_and_slugs(library: OwnPlatform) -> None:
    cats = library.team("/categories")
    with library.client() as staff:
        made = data(staff.post(cats, json={"name": "Getting started", "description": "Hi"}), 201)
        assert made["id"].startswith("cat_") and made["slug"] == "getting-started"
        assert code(staff.post(cats, json={"name": "getting STARTED"})) == (
            409,
            "resource_conflict",
        )
        taken = staff.post(cats, json={"name": "Other", "slug": "getting-started"})
        assert (code(taken), taken.json()["error"]["param"]) == ((409, "resource_conflict"), "slug")
        article = publish(staff, library, "Install", categoryId=made["id"])
        renamed = data(staff.patch(f"{cats}/{made['id']}", json={"name": "Start here"}))
        assert renamed["articleCount"] == 1
        moved = data(staff.get(library.team(f"/articles/{article['id']}")))
        assert moved["category"] == "Start here"
        assert code(staff.delete(f"{cats}/{made['id']}")) == (409, "resource_conflict")
        wrong = staff.post(
            library.team("/articles"), json={"title": "x", "categoryId": "cat_" + "0" * 32}
        )
        assert (code(wrong), wrong.json()["error"]["param"]) == (
            (400, "parameter_invalid"),
            "categoryId",
        )
        kind = staff.get(f"{cats}/{article['id']}")
        assert code(kind) == (400, "parameter_invalid")
        staff.patch(library.team(f"/articles/{article['id']}"), json={"categoryId": None})
        assert data(staff.delete(f"{cats}/{made['id']}")) == {"id": made["id"], "deleted": True}
        assert data(staff.get(cats)) == []
        # no events: the catalogue has none for categories
        types = {e["type"] for e in data(staff.get(library.team("/events")))}
        assert not any(t.startswith("categor") for t in types)
    with library.client(library.server.keys.publishable_key) as public:
        assert data(public.get(cats)) == []
        assert code(public.post(cats, json={"name": "x"})) == (403, "publishable_key_write")


def test_article_slugs_are_unique_per_team_and_environment(library: OwnPlatform) -> None:
    articles = library.team("/articles")
    with library.client() as test, library.client(library.server.keys.live_secret_key) as live:
        first = data(test.post(articles, json={"title": "FAQ"}), 201)
        second = data(test.post(articles, json={"title": "FAQ"}), 201)
        other_env = data(live.post(articles, json={"title": "FAQ"}), 201)
        asked = test.post(articles, json={"title": "Other", "slug": "faq"})
        moved = test.patch(f"{articles}/{second['id']}", json={"slug": "faq"})
    assert (first["slug"], second["slug"], other_env["slug"]) == ("faq", "faq-2", "faq")
    for refused in (asked, moved):
        assert code(refused) == (409, "resource_conflict")
        assert refused.json()["error"]["param"] == "slug"
