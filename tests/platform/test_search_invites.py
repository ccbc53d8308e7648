"""D47's paths over a real socket: /search within the caller's scope, /invites, and the
library's popular articles."""

from __future__ import annotations

from typing import Any

import httpx

from tests.platform.test_identity_portal import identity_headers
from tests.support.platforms import OwnPlatform, Start, data


def hits(client: httpx.Client, platform: OwnPlatform, **params: Any) -> list[dict[str, Any]]:
    answer = client.get(platform.team("/search"), params=params)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["data"]
    return found


def test_search_follows_the_callers_scope(own_platform: Start) -> None:
    platform = own_platform()
    keys = platform.server.keys
    portal = identity_headers(keys.secret_key, "pat@x.io")
    with platform.client(keys.publishable_key) as public:
        mine = public.post(platform.team("/tickets"), json={"title": "Printer jam"}, headers=portal)
        assert mine.status_code == 201
    with platform.client() as staff:
        other = data(staff.post(platform.team("/tickets"), json={"title": "Printer smoke"}), 201)
        printer_co = {"name": "Printer Co", "email": "ops@printer.io"}
        customer = data(staff.post(platform.team("/customers"), json=printer_co), 201)
        public_article = {
            "title": "Fix a printer",
            "content": "Turn the printer off and on again. It works.",
            "status": "published",
            "isPublic": True,
        }
        article = data(staff.post(platform.team("/articles"), json=public_article), 201)
        draft = data(staff.post(platform.team("/articles"), json={"title": "Printer draft"}), 201)
        everything = hits(staff, platform, q="printer")
        assert {h["id"] for h in everything} == {
            mine.json()["data"]["id"],
            other["id"],
            customer["id"],
            article["id"],
            draft["id"],
        }
        [found] = [h for h in everything if h["id"] == customer["id"]]
        assert found == {
            "object": "customer",
            "id": customer["id"],
            "name": "Printer Co",
            "snippet": "ops@printer.io",
        }
        [shown] = [h for h in everything if h["id"] == article["id"]]
        assert shown["title"] == "Fix a printer" and "printer off" in shown["snippet"]
        only = hits(staff, platform, q="printer", types="customers,articles")
        assert {h["object"] for h in only} == {"customer", "article"}
        paged = staff.get(platform.team("/search"), params={"q": "printer", "pageSize": 2})
        assert len(paged.json()["data"]) == 2 and paged.json()["pagination"]["total"] == 5
        assert (
            staff.get(platform.team("/search"), params={"q": "x", "types": "bogus"}).status_code
            == 400
        )
        assert staff.get(platform.team("/search")).status_code == 400
    with platform.client(keys.publishable_key) as public:
        assert [h["id"] for h in hits(public, platform, q="printer")] == [article["id"]]
        seen = {
            h["id"]
            for h in public.get(
                platform.team("/search"), params={"q": "printer"}, headers=portal
            ).json()["data"]
        }
        assert seen == {mine.json()["data"]["id"], article["id"]}


def test_invites_create_list_revoke(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        made = data(
            staff.post(platform.team("/invites"), json={"email": "new@x.io", "role": "manager"}),
            201,
        )
        assert made["id"].startswith("inv_") and made["status"] == "pending"
        assert made["role"] == "manager" and made["expiresAt"] > made["createdAt"]
        again = staff.post(platform.team("/invites"), json={"email": "NEW@x.io"})
        assert again.status_code == 409 and again.json()["error"]["param"] == "email"
        member_email = data(staff.get(platform.team("/members")))[0]["email"]
        taken = staff.post(platform.team("/invites"), json={"email": member_email})
        assert taken.status_code == 409
        assert (
            staff.post(
                platform.team("/invites"), json={"email": "x@x.io", "role": "king"}
            ).status_code
            == 400
        )
        assert [i["id"] for i in data(staff.get(platform.team("/invites")))] == [made["id"]]
        gone = data(staff.delete(platform.team(f"/invites/{made['id']}")))
        assert gone == {"id": made["id"], "deleted": True}
        assert data(staff.get(platform.team(f"/invites/{made['id']}")))["status"] == "revoked"
        assert data(staff.get(platform.team("/invites"), params={"status": "pending"})) == []
        assert staff.post(platform.team("/invites"), json={"email": "new@x.io"}).status_code == 201
        platform.clock.advance(8 * 86400)
        expired = data(staff.get(platform.team("/invites"), params={"status": "expired"}))
        assert [i["email"] for i in expired] == ["new@x.io"]
        actions = [e["action"] for e in data(staff.get(platform.team("/audit-log")))]
        assert actions.count("invite.created") == 2 and "invite.revoked" in actions
    with platform.client(platform.server.keys.publishable_key) as public:
        assert public.get(platform.team("/invites")).status_code == 403
        refused = public.post(platform.team("/invites"), json={"email": "a@x.io"})
        assert refused.json()["error"]["code"] == "publishable_key_write"


def test_library_popular_articles_come_by_views(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        for title in ("Alpha", "Beta", "Gamma"):
            body = {"title": title, "status": "published", "isPublic": True}
            staff.post(platform.team("/articles"), json=body)
    library = "/api/library/local-dev/articles"
    with platform.client(platform.server.keys.publishable_key) as reader:
        for slug, views in (("alpha", 1), ("beta", 3)):
            for _ in range(views):
                assert reader.post(f"{library}/{slug}/view").status_code == 200
        popular = reader.get(library, params={"sort": "popular", "limit": 2}).json()["data"]
        newest = reader.get(library).json()["data"]
        assert reader.get(library, params={"sort": "loud"}).status_code == 400
    assert [a["slug"] for a in popular] == ["beta", "alpha"]
    assert [a["slug"] for a in newest] == ["gamma", "beta", "alpha"]


def test_a_verified_identity_gets_no_groups_invites_or_audit_log(own_platform: Start) -> None:
    platform = own_platform()
    keys = platform.server.keys
    portal = identity_headers(keys.secret_key, "pat@x.io")
    reads = ("/customer-groups", "/invites", "/audit-log")
    with platform.client(keys.publishable_key) as public:
        for path in reads:
            for headers in ({}, portal):
                answer = public.get(platform.team(path), headers=headers)
                assert answer.status_code == 403, (path, answer.text)
                assert answer.json()["error"]["code"] == "insufficient_permissions"
        for path, body in (("/customer-groups", {"name": "x"}), ("/invites", {"email": "a@x.io"})):
            refused = public.post(platform.team(path), json=body, headers=portal)
            assert refused.status_code == 403
            assert refused.json()["error"]["code"] == "publishable_key_write"
