"""Publishable-key scope (D23) and identity verification (D18) over a real socket."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from cstar_cli.client.identity import identity_hash, sign_identity
from tests.support.platforms import OwnPlatform, Start


def encode(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def identity_headers(secret_key: str, email: str, **fields: Any) -> dict[str, str]:
    payload, digest = sign_identity(secret_key, email=email, **fields)
    return {"X-Cstar-Identity": encode(payload), "X-Cstar-Identity-Hash": digest}


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert body["success"] is False, body
    error: dict[str, Any] = body["error"]
    return error


@pytest.fixture
def portal(own_platform: Start) -> OwnPlatform:
    return own_platform()


def test_publishable_key_reads_only_what_anyone_may_read(portal: OwnPlatform) -> None:
    keys = portal.server.keys
    with portal.client() as staff:
        staff.post(portal.team("/tickets"), json={"title": "x", "notes": "INTERNAL: fraud risk"})
        staff.post(portal.team("/articles"), json={"title": "Draft", "notes": "secret plan"})
        staff.post(
            portal.team("/articles"),
            json={"title": "Reset", "status": "published", "isPublic": True, "notes": "n"},
        )
    with portal.client(keys.publishable_key) as public:
        for path in ("/tickets", "/customers", "/members", "/logs", "/events", "/webhooks"):
            response = public.get(portal.team(path))
            assert response.status_code == 403, path
            error = error_of(response)
            assert error["code"] == "insufficient_permissions"
            assert error["message"].startswith("Secret key required for this endpoint.")
        for path in ("/keys", "/sla/rules", "/test-helpers/clock"):
            assert error_of(public.get(portal.team(path)))["code"] == "insufficient_permissions"
        articles = public.get(portal.team("/articles")).json()["data"]
        assert [a["title"] for a in articles] == ["Reset"]
        assert articles[0]["notes"] is None
        assert public.get(portal.team("/game/leaderboard")).status_code == 200
        assert public.get("/api/v1/auth/whoami").status_code == 200
        created = public.post(portal.team("/tickets"), json={"title": "hi"})
        assert error_of(created)["code"] == "publishable_key_write"


def test_a_verified_identity_is_a_customer_portal(portal: OwnPlatform) -> None:
    keys = portal.server.keys
    ada = identity_headers(keys.secret_key, "ada@portal.test")
    with portal.client() as staff:
        other = staff.post(portal.team("/customers"), json={"name": "Bob", "email": "b@x.io"})
        bob_id = other.json()["data"]["id"]
        bobs = staff.post(portal.team("/tickets"), json={"title": "Bob's", "customerId": bob_id})
        bobs_ticket = bobs.json()["data"]["id"]
    with portal.client(keys.publishable_key) as public:
        created = public.post(
            portal.team("/tickets"),
            headers=ada,
            json={
                "title": "Printer on fire",
                "priority": "high",
                "tags": ["hw"],
                "customerId": bob_id,  # ignored: the ticket is the identity's customer's
                "message": {"content": "It smokes"},
            },
        )
        assert created.status_code == 201, created.text
        ticket = created.json()["data"]
        assert ticket["customerId"] != bob_id and ticket["notes"] is None
        assert ticket["messageCount"] == 1
        listed = public.get(portal.team("/tickets"), headers=ada).json()["data"]
        assert [t["id"] for t in listed] == [ticket["id"]]
        assert public.get(portal.team(f"/tickets/{bobs_ticket}"), headers=ada).status_code == 404
        reply = public.post(
            portal.team(f"/tickets/{ticket['id']}/messages"), headers=ada, json={"content": "?"}
        )
        assert reply.status_code == 201 and reply.json()["data"]["sender"] == "customer"
    with portal.client() as staff:
        customer = staff.get(portal.team(f"/customers/{ticket['customerId']}")).json()["data"]
        assert customer["email"] == "ada@portal.test"  # the first verified identity created it
        staff.patch(
            portal.team(f"/tickets/{ticket['id']}"),
            json={
                "notes": "INTERNAL: customer is a fraud risk",
                "assignedTo": _agent(staff, portal),
            },
        )
        staff.post(
            portal.team(f"/tickets/{ticket['id']}/messages"),
            json={"content": "INTERNAL: refund denied", "isInternal": True},
        )
    with portal.client(keys.publishable_key) as public:
        seen = public.get(portal.team(f"/tickets/{ticket['id']}"), headers=ada).json()["data"]
        assert "INTERNAL" not in json.dumps(seen)
        assert seen["assignedTo"] is None and seen["assignedToName"]
        assert [m["content"] for m in seen["messages"]] == ["It smokes", "?"]
        assert seen["messageCount"] == 2
        messages = public.get(portal.team(f"/tickets/{ticket['id']}/messages"), headers=ada)
        assert "INTERNAL" not in messages.text
        found = public.get(portal.team("/tickets"), headers=ada, params={"search": "refund"})
        assert found.json()["data"] == []  # internal messages are not searchable either


def _agent(staff: httpx.Client, portal: OwnPlatform) -> str:
    members = staff.get(portal.team("/members"), params={"role": "agent"}).json()["data"]
    return str(members[0]["id"])


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"title": "x", "notes": "mine"}, "notes"),
        ({"title": "x", "priority": "urgent"}, "priority"),
        ({"title": "x", "assignedTo": "mem_" + "0" * 32}, "assignedTo"),
        ({"title": "x", "status": "closed"}, "status"),
    ],
)
def test_a_portal_sets_only_the_allowed_fields(
    portal: OwnPlatform, body: dict[str, Any], param: str
) -> None:
    keys = portal.server.keys
    ada = identity_headers(keys.secret_key, "ada@portal.test")
    with portal.client(keys.publishable_key) as public:
        response = public.post(portal.team("/tickets"), headers=ada, json=body)
    assert response.status_code == 403
    error = error_of(response)
    assert (error["code"], error["param"]) == ("insufficient_permissions", param)


def test_identity_failures_explain_themselves_in_test_mode_only(portal: OwnPlatform) -> None:
    keys = portal.server.keys
    payload = '{"email":"ada@portal.test"}'
    wrong = {"X-Cstar-Identity": encode(payload), "X-Cstar-Identity-Hash": "0" * 64}
    spaced = '{"email": "ada@portal.test"}'
    with_spaces = {
        "X-Cstar-Identity": encode(spaced),
        "X-Cstar-Identity-Hash": identity_hash(keys.secret_key, spaced),
    }
    with portal.client(keys.publishable_key) as public:
        for headers in (wrong, with_spaces):
            response = public.get(portal.team("/tickets"), headers=headers)
            assert response.status_code == 401
            error = error_of(response)
            assert error["code"] == "identity_verification_failed"
            assert error["expectedPayload"] == payload
            assert set(error["snippets"]) == {"python", "ruby", "php"}
            assert payload in error["snippets"]["php"]
    with portal.client() as staff:  # a secret key's identity is verified too
        assert staff.get(portal.team("/tickets"), headers=wrong).status_code == 401
    with portal.client(keys.live_publishable_key) as live:
        response = live.get(portal.team("/tickets"), headers=wrong)
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "identity_verification_failed"
    assert "expectedPayload" not in error and "snippets" not in error
    assert "ada" not in response.text


def test_the_sorted_form_names_the_customer_and_expires(portal: OwnPlatform) -> None:
    keys = portal.server.keys
    now = int(portal.clock.now)
    fresh = identity_headers(
        keys.secret_key, "grace@portal.test", external_id="42", name="Grace H", timestamp=now
    )
    stale = identity_headers(
        keys.secret_key, "grace@portal.test", external_id="42", timestamp=now - 25 * 3600
    )
    with portal.client(keys.publishable_key) as public:
        made = public.post(portal.team("/tickets"), headers=fresh, json={"title": "Hello"})
        assert made.status_code == 201, made.text
        assert made.json()["data"]["customerName"] == "Grace H"
        refused = public.get(portal.team("/tickets"), headers=stale)
        assert error_of(refused)["code"] == "identity_verification_failed"
        assert "24 hours" in error_of(refused)["message"]


def test_identity_in_the_query_for_browsers_and_redacted_in_the_log(portal: OwnPlatform) -> None:
    keys = portal.server.keys
    headers = identity_headers(keys.secret_key, "eve@portal.test")
    query = {"identity": headers["X-Cstar-Identity"], "identityHash": "f" * 64}
    with portal.client(keys.publishable_key) as public:
        denied = public.get(portal.team("/tickets"), params=query)
        assert error_of(denied)["code"] == "identity_verification_failed"
        query["identityHash"] = headers["X-Cstar-Identity-Hash"]
        assert public.get(portal.team("/tickets"), params=query).status_code == 200
    with portal.client() as staff:
        logged = staff.get(portal.team("/logs"), params={"path": "/tickets"}).json()["data"]
    paths = [entry["path"] for entry in logged]
    assert any("identity=redacted&identityHash=redacted" in path for path in paths), paths
    assert headers["X-Cstar-Identity-Hash"] not in json.dumps(logged)


def test_one_customer_never_replays_anothers_idempotent_answer(portal: OwnPlatform) -> None:
    keys = portal.server.keys
    ada = identity_headers(keys.secret_key, "ada@portal.test")
    eve = identity_headers(keys.secret_key, "eve@portal.test")
    body = {"title": "Same words"}
    with portal.client(keys.publishable_key) as public:
        first = public.post(
            portal.team("/tickets"), headers={**ada, "Idempotency-Key": "k1"}, json=body
        )
        second = public.post(
            portal.team("/tickets"), headers={**eve, "Idempotency-Key": "k1"}, json=body
        )
    assert first.status_code == second.status_code == 201
    assert first.json()["data"]["id"] != second.json()["data"]["id"]
    assert "idempotent-replayed" not in second.headers
