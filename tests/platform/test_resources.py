"""Tickets, messages, customers, articles and members over the wire (facts §3, D2–D4)."""

from __future__ import annotations

import uuid

import httpx

from tests.support.platforms import RunningPlatform


def data(response: httpx.Response, status: int = 200) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True
    return body["data"]  # type: ignore[no-any-return]


def new_customer(api: httpx.Client, **fields: object) -> dict:  # type: ignore[type-arg]
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    return data(api.post("/customers", json={"name": "Jane Doe", "email": email, **fields}), 201)


def test_ticket_lifecycle_with_messages(api: httpx.Client) -> None:
    customer = new_customer(api)
    ticket = data(
        api.post(
            "/tickets",
            json={
                "title": "Network issue",
                "priority": "high",
                "customerId": customer["id"],
                "tags": ["vpn"],
                "metadata": {"plan": "pro"},
            },
        ),
        201,
    )
    assert ticket["id"].startswith("tkt_") and len(ticket["id"]) == 36
    assert ticket["status"] == "new"
    assert ticket["customerName"] == "Jane Doe"
    assert ticket["responseDeadline"] is not None
    message = data(
        api.post(f"/tickets/{ticket['id']}/messages", json={"content": "On it", "sender": "agent"}),
        201,
    )
    assert message["id"].startswith("msg_")
    fetched = data(api.get(f"/tickets/{ticket['id']}"))
    assert [m["content"] for m in fetched["messages"]] == ["On it"]
    assert fetched["messageCount"] == 1
    assert fetched["firstResponseAt"] is not None
    thread = api.get(f"/tickets/{ticket['id']}/messages").json()
    assert "pagination" not in thread
    assert [m["id"] for m in thread["data"]] == [message["id"]]
    updated = data(
        api.patch(
            f"/tickets/{ticket['id']}", json={"status": "resolved", "metadata": {"plan": None}}
        )
    )
    assert updated["status"] == "resolved"
    assert updated["resolvedAt"] is not None
    assert updated["metadata"] == {}
    bare_uuid = str(uuid.UUID(ticket["id"][4:]))
    assert data(api.get(f"/tickets/{bare_uuid}"))["id"] == ticket["id"]
    assert data(api.delete(f"/tickets/{ticket['id']}")) == {"id": ticket["id"], "deleted": True}
    assert api.get(f"/tickets/{ticket['id']}").status_code == 404


def test_ticket_filters_search_sort_and_expand(api: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:8]
    customer = new_customer(api, name="Filter Person")
    members = data(api.get("/members", params={"role": "agent"}))
    assignee = members[0]["id"]
    for title, priority in [
        ("alpha printer", "low"),
        ("beta printer", "urgent"),
        ("gamma", "high"),
    ]:
        data(
            api.post(
                "/tickets",
                json={
                    "title": title,
                    "priority": priority,
                    "tags": [tag],
                    "customerId": customer["id"],
                    "assignedTo": assignee,
                },
            ),
            201,
        )
    listed = api.get("/tickets", params={"tag": tag, "sort": "-priority"}).json()
    assert [t["priority"] for t in listed["data"]] == ["urgent", "high", "low"]
    assert listed["pagination"] == listed["meta"]["pagination"]
    assert listed["pagination"]["total"] == 3
    searched = data(api.get("/tickets", params={"tag": tag, "search": "PRINTER"}))
    assert sorted(t["title"] for t in searched) == ["alpha printer", "beta printer"]
    urgent = data(api.get("/tickets", params={"tag": tag, "priority": "urgent"}))
    assert [t["title"] for t in urgent] == ["beta printer"]
    mine = data(api.get("/tickets", params={"tag": tag, "assignedTo": assignee}))
    assert len(mine) == 3
    by_customer = data(
        api.get("/tickets", params={"customerId": customer["id"], "expand": "customer"})
    )
    assert by_customer[0]["customer"] == {
        "id": customer["id"],
        "name": "Filter Person",
        "email": customer["email"],
    }
    page = api.get(
        "/tickets", params={"tag": tag, "pageSize": 2, "page": 2, "sort": "title"}
    ).json()
    assert [t["title"] for t in page["data"]] == ["gamma"]
    assert page["pagination"] == {
        "page": 2,
        "pageSize": 2,
        "total": 3,
        "totalPages": 2,
        "hasMore": False,
    }


def test_customers_have_unique_emails_per_environment(
    platform: RunningPlatform, api: httpx.Client
) -> None:
    customer = new_customer(api, sentiment="happy", tags=["vip"])
    duplicate = api.post("/customers", json={"name": "Other", "email": customer["email"].upper()})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "resource_conflict"
    assert duplicate.json()["error"]["param"] == "email"
    with platform.client(platform.live_secret_key) as live:
        other_env = live.post(
            platform.team_url("/customers"), json={"name": "L", "email": customer["email"]}
        )
        assert other_env.status_code == 201
    found = data(api.get("/customers", params={"search": customer["email"][:6], "tag": "vip"}))
    assert [c["id"] for c in found] == [customer["id"]]
    updated = data(
        api.patch(f"/customers/{customer['id']}", json={"status": "inactive", "sentiment": None})
    )
    assert (updated["status"], updated["sentiment"]) == ("inactive", None)
    assert (
        data(api.get("/customers", params={"status": "inactive", "search": customer["email"]}))[0][
            "id"
        ]
        == customer["id"]
    )
    assert data(api.delete(f"/customers/{customer['id']}"))["deleted"] is True


def test_articles_slug_publish_and_filters(api: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:8]
    draft = data(
        api.post(
            "/articles",
            json={"title": "Reset your password!", "tags": [tag], "category": "Accounts"},
        ),
        201,
    )
    assert draft["slug"].startswith("reset-your-password")
    assert draft["status"] == "draft" and draft["publishedAt"] is None
    published = data(
        api.patch(f"/articles/{draft['id']}", json={"status": "published", "isPublic": True})
    )
    assert published["publishedAt"] is not None
    assert (
        data(api.get("/articles", params={"tag": tag, "isPublic": "true", "category": "Accounts"}))[
            0
        ]["id"]
        == draft["id"]
    )
    assert data(api.get("/articles", params={"tag": tag, "status": "draft"})) == []
    bad = api.get("/articles", params={"isPublic": "maybe"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "isPublic"


def test_members_crud(api: httpx.Client) -> None:
    seeded = data(api.get("/members", params={"sort": "joinedAt"}))
    assert sorted(m["role"] for m in seeded[:3]) == ["agent", "agent", "owner"]
    member = data(api.post("/members", json={"name": "New Hero", "email": "hero@example.com"}), 201)
    assert member["roleDisplayName"] == "The Hero" and member["level"] == 1
    promoted = data(api.patch(f"/members/{member['id']}", json={"role": "manager"}))
    assert promoted["role"] == "manager"
    assert data(api.delete(f"/members/{member['id']}"))["deleted"] is True
