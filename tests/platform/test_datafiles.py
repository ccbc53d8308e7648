"""Data files (D34) over a real socket: ``GET /test-helpers/export`` and ``POST
/test-helpers/import`` — the same bytes after a round trip, no secret ever written, one error
naming the JSON path for a bad file and nothing applied, no events from a load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from cstar_cli.wire.datafile import render
from tests.support.platforms import OwnPlatform, Start, data


@pytest.fixture
def own(own_platform: Start) -> OwnPlatform:
    return own_platform()


def export(p: OwnPlatform, api: httpx.Client) -> str:
    answer = api.get(p.team("/test-helpers/export"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    return answer.text


def load(p: OwnPlatform, api: httpx.Client, document: Any, status: int = 200) -> Any:
    answer = api.post(p.team("/test-helpers/import"), json=document)
    assert answer.status_code == status, answer.text
    return answer.json()


def fill(p: OwnPlatform, api: httpx.Client) -> dict[str, str]:
    """Some of everything a data file holds, made through the API as a test run would; the
    secrets the answers showed."""
    t = p.team
    p.clock.advance(1)
    member = data(api.post(t("/members"), json={"name": "Bob", "email": "bob@x.test"}), 201)
    ada = data(api.post(t("/customers"), json={"name": "Ada", "email": "Ada@X.test"}), 201)
    bea = {"name": "Bea", "email": "bea@x.test", "tags": ["vip"], "customFields": {"plan": "pro"}}
    data(api.post(t("/customers"), json=bea), 201)
    p.clock.advance(1)
    first = {"title": "Printer", "customerId": ada["id"], "message": {"content": "Broken"}}
    printer = data(api.post(t("/tickets"), json=first), 201)
    p.clock.advance(60)
    data(api.post(t(f"/tickets/{printer['id']}/messages"), json={"content": "On it"}), 201)
    note = {"content": "internal", "isInternal": True}
    data(api.post(t(f"/tickets/{printer['id']}/messages"), json=note), 201)
    data(api.patch(t(f"/tickets/{printer['id']}"), json={"assignedTo": member["id"]}))
    data(api.patch(t(f"/tickets/{printer['id']}"), json={"status": "closed"}))
    waiting = {"title": "Waiting", "priority": "urgent", "status": "pending", "tags": ["a"]}
    data(api.post(t("/tickets"), json=waiting), 201)
    data(api.post(t("/tickets"), json={"title": "Walk-in", "customerName": "Someone"}), 201)
    data(api.post(t("/articles"), json={"title": "Old", "category": "Printers"}), 201)
    category = data(api.post(t("/categories"), json={"name": "Printers"}), 201)
    article = {"title": "Fix it", "content": "Off, on.", "categoryId": category["id"]}
    data(api.post(t("/articles"), json={**article, "status": "published", "isPublic": True}), 201)
    data(api.patch(t("/team/preferences"), json={"timezone": "Asia/Tokyo"}))
    data(api.patch(t(f"/members/{member['id']}/preferences"), json={"theme": "dark"}))
    grace = next(m for m in data(api.get(t("/members"))) if m["email"] == "grace@example.com")
    pair = {"fromMemberId": member["id"], "toMemberId": grace["id"]}
    data(api.post(t("/game/social/high-fives"), json={**pair, "message": "Thanks!"}), 201)
    data(api.post(t("/game/social/one-ups"), json={**pair, "ticketId": printer["id"]}), 201)
    hook = {"url": "http://127.0.0.1:9/h", "events": ["ticket.*"], "name": "CI"}
    made = data(api.post(t("/webhooks"), json=hook), 201)
    session = data(api.post(t("/webhooks/listen"), json={"deviceName": "laptop"}), 201)
    rules = data(api.get(t("/sla/rules")))
    data(api.patch(t(f"/sla/rules/{rules[0]['id']}"), json={"responseTarget": 5}))
    return {"webhook": made["secret"], "session": session["signingSecret"]}


def test_export_then_import_then_export_gives_the_same_bytes(own: OwnPlatform) -> None:
    with own.client() as api:
        fill(own, api)
        own.clock.advance(3600)
        first = export(own, api)
        answer = load(own, api, json.loads(first))["data"]
        assert answer["object"] == "import"
        assert answer["deleted"]["tickets"] == 3
        assert answer["loaded"] == {
            "members": 1,
            "customers": 2,
            "categories": 1,
            "articles": 2,
            "tickets": 3,
            "messages": 3,
            "webhooks": 1,
            "slaRules": 4,
            "memberPreferences": 1,
            "social": 2,
            "teamPreferences": 1,
            "customerGroups": 0,
        }
        second = export(own, api)
        assert second == first
        assert render(json.loads(first)) == first  # the canonical text
        doc = json.loads(first)
        [closed] = [t for t in doc["tickets"] if t["title"] == "Printer"]
        assert closed["assignedTo"] == "bob@x.test"  # members by email, never by id
        assert closed["customerId"].startswith("cus_") and closed["closedAt"]
        assert [m["content"] for m in closed["messages"]] == ["Broken", "On it", "internal"]
        # derived fields came back as the API computes them
        ticket = data(api.get(own.team(f"/tickets/{closed['id']}")))
        assert ticket["messageCount"] == 3 and ticket["firstResponseAt"]
        assert ticket["responseTier"] == "gold" and ticket["resolutionTier"] == "gold"
        customers = data(api.get(own.team("/customers"), params={"sort": "createdAt"}))
        assert [c["ticketCount"] for c in customers] == [1, 0]
        # preferences and social came back too (D46); members by email, never by id
        assert data(api.get(own.team("/team/preferences")))["timezone"] == "Asia/Tokyo"
        assert doc["memberPreferences"][0]["member"] == "bob@x.test"
        assert [(e["type"], e["toMemberId"]) for e in doc["social"]] == [
            ("high_five", "grace@example.com"),
            ("one_up", "grace@example.com"),
        ]
        assert doc["social"][1]["ticketId"] == closed["id"]


def test_no_secret_is_ever_written(own: OwnPlatform) -> None:
    with own.client() as api:
        shown = fill(own, api)
        text = export(own, api)

    async def stored() -> list[str]:
        db = own.server.platform.db
        sealed = [r["secret"] for r in db.all("SELECT secret FROM webhooks")]
        sealed += [r["secret"] for r in db.all("SELECT secret FROM listen_sessions")]
        keys = db.all("SELECT key_hash, secret_sealed FROM api_keys")
        sealed += [r["key_hash"] for r in keys] + [
            r["secret_sealed"] for r in keys if r["secret_sealed"]
        ]
        return sealed

    keys = own.server.keys
    secrets = [
        keys.secret_key,
        keys.publishable_key,
        keys.live_secret_key,
        keys.live_publishable_key,
    ]
    secrets += [*shown.values(), *own.server.call(stored())]
    for secret in secrets:
        assert secret not in text, secret[:12]
    for marker in ("whsec_", "sk_test_", "pk_test_", "sk_live_", "pk_live_", keys.team_id, "mem_"):
        assert marker not in text
    webhook = json.loads(text)["webhooks"][0]
    assert "secret" not in webhook and "signingSecret" not in webhook


def test_an_import_gives_webhooks_new_secrets_and_fires_no_events(own: OwnPlatform) -> None:
    with own.client() as api:
        fill(own, api)
        document = json.loads(export(own, api))
        load(own, api, document)
        events = api.get(own.team("/events")).json()
        assert events["pagination"]["total"] == 0
        [hook] = data(api.get(own.team("/webhooks")))
        assert hook["id"] == document["webhooks"][0]["id"]
        rotated = data(api.post(own.team(f"/webhooks/{hook['id']}/rotate-secret")))
        assert rotated["secret"].startswith("whsec_")
        assert data(api.get(own.team(f"/webhooks/{hook['id']}/deliveries"))) == []
        # the platform goes on as usual afterwards: a write fires its event
        data(api.post(own.team("/tickets"), json={"title": "After"}), 201)
        assert api.get(own.team("/events")).json()["pagination"]["total"] == 1


SEED = {
    "cstarData": 1,
    "members": [
        {"name": "Bob", "email": "bob@x.test", "role": "manager"},
        {"name": "Grace H.", "email": "Grace@Example.com", "role": "admin"},
    ],
    "customers": [{"name": "Ada", "email": "ada@x.test"}],
    "categories": [{"name": "Printers"}],
    "articles": [{"title": "Fix it", "categoryId": "printers", "status": "published"}],
    "tickets": [
        {
            "title": "Printer on fire",
            "priority": "high",
            "customerId": "ADA@x.test",
            "assignedTo": "grace@example.com",
            "createdAt": "2026-03-01T10:00:00Z",
            "messages": [
                {"content": "Help", "sender": "customer"},
                {"content": "Coming", "createdAt": "2026-03-01T10:30:00Z"},
            ],
        },
        {"title": "Bob's", "assignedTo": "bob@x.test", "status": "resolved"},
    ],
    "slaRules": [
        {"name": "High", "priority": "high", "responseTarget": 60, "resolutionTarget": 120}
    ],
}


def test_a_hand_written_seed_mints_ids_and_resolves_natural_keys(own: OwnPlatform) -> None:
    with own.client() as api:
        load(own, api, SEED)
        [first, second] = data(api.get(own.team("/tickets"), params={"sort": "createdAt"}))
        members = {m["email"]: m for m in data(api.get(own.team("/members")))}
        [customer] = data(api.get(own.team("/customers")))
        [article] = data(api.get(own.team("/articles")))
        [category] = data(api.get(own.team("/categories")))
    assert first["id"].startswith("tkt_") and customer["id"].startswith("cus_")
    assert first["customerId"] == customer["id"] and first["customerName"] == "Ada"
    assert first["assignedTo"] == members["grace@example.com"]["id"]
    assert second["assignedTo"] == members["bob@x.test"]["id"]
    assert members["bob@x.test"]["role"] == "manager" and len(members) == 4
    assert members["grace@example.com"]["name"] == "Grace H."  # a seed member, updated
    assert article["categoryId"] == category["id"] and article["category"] == "Printers"
    assert article["slug"] == "fix-it" and article["publishedAt"] == article["createdAt"]
    assert category["articleCount"] == 1 and customer["ticketCount"] == 1
    # recomputed: the file's rule for "high" (60/120 minutes), the first agent answer
    assert first["createdAt"] == "2026-03-01T10:00:00.000Z"
    assert first["responseDeadline"] == "2026-03-01T11:00:00.000Z"
    assert first["resolutionDeadline"] == "2026-03-01T12:00:00.000Z"
    assert first["firstResponseAt"] == "2026-03-01T10:30:00.000Z"
    assert first["messageCount"] == 2 and first["updatedAt"] == "2026-03-01T10:30:00.000Z"
    assert second["resolvedAt"] == second["updatedAt"] == second["createdAt"]
    assert second["responseDeadline"] is None  # no rule for "normal" any more: the file's only


BAD = [
    ({"cstarData": 2}, "cstarData", "version 1"),
    ({"tickets": []}, "cstarData", "missing"),
    ({**SEED, "customerGroup": []}, "customerGroup", "unknown"),
    ({**SEED, "tickets": {}}, "tickets", "JSON array"),
    ("tickets", 1, {"title": "x", "customerId": "nobody@x.test"}, "tickets[1].customerId"),
    ("tickets", 0, {"title": "x", "custmerId": "a"}, "tickets[0].custmerId"),
    ("tickets", 0, {"title": "x", "messages": [{"sender": "bot"}]}, "tickets[0].messages[0]"),
    ("tickets", 0, {"title": "x", "assignedTo": "mem_" + "0" * 32}, "tickets[0].assignedTo"),
    ("tickets", 0, {"title": "x", "closedAt": "2026-01-01T00:00:00Z"}, "tickets[0].closedAt"),
    ("customers", 1, {"name": "Twin", "email": "ada@x.test"}, "customers[1].email"),
    ("webhooks", 0, {"url": "http://127.0.0.1:9", "events": ["*"], "secret": "x"}, "webhooks[0]"),
    ("webhooks", 0, {"url": "http://127.0.0.1:9", "events": ["tix.made"]}, "webhooks[0].events"),
    ("articles", 0, {"title": "x", "categoryId": "nope"}, "articles[0].categoryId"),
    ({**SEED, "teamPreferences": {"timezone": "Nowhere/Land"}}, "teamPreferences.timezone", "IANA"),
    (
        {**SEED, "teamPreferences": {"businessHours": {"start": "18:00", "end": "08:00"}}},
        "teamPreferences.businessHours.end",
        "later",
    ),
    ("memberPreferences", 0, {"member": "nobody@x.test", "theme": "dark"}, "memberPreferences[0]"),
    ("memberPreferences", 0, {"member": "bob@x.test", "theme": "neon"}, "memberPreferences[0]"),
    (
        "social",
        0,
        {"type": "high_five", "fromMemberId": "bob@x.test", "toMemberId": "bob@x.test"},
        "social[0].toMemberId",
    ),
    (
        "social",
        0,
        {
            "type": "one_up",
            "fromMemberId": "bob@x.test",
            "toMemberId": "ada@example.com",
            "ticketId": "tkt_" + "0" * 32,
        },
        "social[0].ticketId",
    ),
]


def bad_document(case: tuple[Any, ...]) -> tuple[Any, str]:
    if len(case) == 3:
        return case[0], case[1]
    name, index, item, _ = case
    document = json.loads(json.dumps(SEED))
    items = document.setdefault(name, [])
    items[index : index + 1] = [item]
    return document, case[3]


@pytest.mark.parametrize("case", BAD, ids=lambda case: str(case[-1]))
def test_a_bad_file_is_one_error_naming_its_path_and_nothing_is_applied(
    own: OwnPlatform, case: tuple[Any, ...]
) -> None:
    document, path = bad_document(case)
    with own.client() as api:
        fill(own, api)
        before = export(own, api)
        error = load(own, api, document, 400)["error"]
        after = export(own, api)
        tickets = api.get(own.team("/tickets")).json()["pagination"]["total"]
    assert error["code"] == "parameter_invalid"
    assert error["param"].startswith(path) and error["param"] in error["message"], error
    assert "nothing was changed" in error["message"]
    assert after == before and tickets == 3


def test_a_live_key_is_refused_and_a_publishable_key_cannot_export(own: OwnPlatform) -> None:
    keys = own.server.keys
    with own.client(keys.live_secret_key) as live:
        for answer in (
            live.get(own.team("/test-helpers/export")),
            live.post(own.team("/test-helpers/import"), json={"cstarData": 1}),
        ):
            assert answer.status_code == 403
            assert "test mode only" in answer.json()["error"]["message"]
    with own.client(keys.publishable_key) as public:
        assert public.get(own.team("/test-helpers/export")).status_code == 403


def test_the_readme_sample_loads_and_round_trips(own: OwnPlatform) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Seed and snapshot files", 1)[1]
    sample = json.loads(section.split("```json", 1)[1].split("```", 1)[0])
    with own.client() as api:
        loaded = load(own, api, sample)["data"]["loaded"]
        assert loaded["tickets"] == 1 and loaded["members"] == 1 and loaded["slaRules"] == 1
        assert loaded["customerGroups"] == 1
        first = export(own, api)
        load(own, api, json.loads(first))
        assert export(own, api) == first
