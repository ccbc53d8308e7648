"""``POST /test-helpers/reset`` (D33) over a real socket: data gone, seed kept, numbers go on."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from cstar_cli.platform.game.defaults import DEFAULT_TARGETS
from cstar_cli.platform.resources.keys.service import insert_key
from cstar_cli.platform.resources.members.service import new_member
from cstar_cli.platform.seed import SEED_MEMBERS
from cstar_cli.platform.store import db as db_module
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.migrations import MIGRATIONS
from cstar_cli.platform.store.vault import open_vault
from cstar_cli.platform.testhelpers.wipe import KEEP, plan
from tests.support.platforms import OwnPlatform, Start, data
from tests.support.raw_receivers import RawReceiver
from tests.support.sse import SseTap
from tests.support.waiting import eventually


@pytest.fixture
def own(own_platform: Start) -> OwnPlatform:
    return own_platform()


def reset(p: OwnPlatform, key: str | None = None) -> dict[str, int]:
    with p.client(key) as api:
        answer = data(api.post(p.team("/test-helpers/reset")))
    assert answer["object"] == "reset"
    deleted: dict[str, int] = answer["deleted"]
    return deleted


def sql(p: OwnPlatform, statement: str, params: tuple[Any, ...] = ()) -> list[Row]:
    """Run one statement on the platform's own event loop (its connection's thread)."""

    async def run() -> list[Row]:
        return p.server.platform.db.all(statement, params)

    return p.server.call(run())


def fill(p: OwnPlatform, api: httpx.Client) -> None:
    """Some of everything a test run leaves behind in the test environment."""
    customer = data(api.post(p.team("/customers"), json={"name": "Ada", "email": "a@x.test"}), 201)
    for n in range(3):
        body = {"title": f"Printer {n}", "priority": "urgent", "customerId": customer["id"]}
        ticket = data(api.post(p.team("/tickets"), json=body), 201)
        api.post(p.team(f"/tickets/{ticket['id']}/messages"), json={"content": "Still broken"})
    category = data(api.post(p.team("/categories"), json={"name": "Printers"}), 201)
    article = {"title": "Fix it", "content": "Turn it off.", "categoryId": category["id"]}
    data(api.post(p.team("/articles"), json=article), 201)
    data(api.post(p.team("/webhooks"), json={"url": "http://127.0.0.1:9/h", "events": ["*"]}), 201)
    member = {"name": "Temp Agent", "email": "temp@x.test"}
    data(api.post(p.team("/members"), json=member), 201)
    rules = data(api.get(p.team("/sla/rules")))
    api.patch(p.team(f"/sla/rules/{rules[0]['id']}"), json={"responseTarget": 1})
    data(api.post(p.team("/test-helpers/clock/advance"), json={"seconds": 7200}))
    api.post(p.team("/tickets"), json={"title": "Replayed"}, headers={"Idempotency-Key": "k1"})


def test_reset_deletes_the_test_data_and_keeps_the_team_its_seed_and_live_data(
    own: OwnPlatform,
) -> None:
    keys = own.server.keys
    with own.client(keys.live_secret_key) as live:
        live_ticket = data(live.post(own.team("/tickets"), json={"title": "live"}), 201)
    with own.client() as api:
        fill(own, api)
        extra_key = data(api.post(own.team("/keys"), json={"name": "ci"}), 201)
        seed_keys = {k["name"]: k for k in data(api.get(own.team("/keys")))}
        publishable = seed_keys["Seed publishable key (test)"]
        data(api.delete(own.team(f"/keys/{publishable['id']}")))
        secret = seed_keys["Seed secret key (test)"]
        data(api.post(own.team(f"/keys/{secret['id']}/roll"), json={"expiresIn": 3600}))

    deleted = reset(own)

    assert deleted["tickets"] == 4 and deleted["messages"] == 3 and deleted["customers"] == 1
    assert deleted["articles"] == 1 and deleted["categories"] == 1 and deleted["webhooks"] == 1
    assert deleted["members"] == 1 and deleted["keys"] == 2  # "ci" and the rolled key's heir
    assert deleted["events"] >= 9 and deleted["idempotencyKeys"] == 1
    assert deleted["slaRules"] == 4 and deleted["requestLogs"] > 10
    with own.client() as api:  # the seed secret key works again, without a grace period
        for resource in ("tickets", "customers", "articles", "categories", "webhooks", "events"):
            assert data(api.get(own.team(f"/{resource}"))) == [], resource
        members = data(api.get(own.team("/members")))
        assert sorted(m["email"] for m in members) == [
            "ada@example.com",
            "alan@example.com",
            "grace@example.com",
        ]
        assert all(m["xp"] == 0 and m["level"] == 1 for m in members)
        kept = data(api.get(own.team("/keys")))
        test_keys = [k for k in kept if k["environment"] == "test"]
        assert sorted(k["name"] for k in test_keys) == sorted(
            ["Seed publishable key (test)", "Seed secret key (test)"]
        )
        assert all(k["revokedAt"] is None and k["expiresAt"] is None for k in test_keys)
        assert extra_key["id"] not in {k["id"] for k in kept}
        rules = data(api.get(own.team("/sla/rules")))
        assert {r["priority"]: (r["responseTarget"], r["resolutionTarget"]) for r in rules} == (
            DEFAULT_TARGETS
        )
        assert data(api.get(own.team("/test-helpers/clock")))["offsetSeconds"] == 0
        logs = data(api.get(own.team("/logs")))  # newest first: the reset, then these reads
        assert logs[-1]["path"] == own.team("/test-helpers/reset")
        assert all(entry["method"] == "GET" for entry in logs[:-1])
    with own.client(keys.publishable_key) as restored:
        assert restored.get(own.team("/articles")).status_code == 200  # revoked, now active
    with own.client(keys.live_secret_key) as live:
        assert data(live.get(own.team(f"/tickets/{live_ticket['id']}")))["title"] == "live"
        assert len(data(live.get(own.team("/logs")))) >= 1  # the live log is untouched


def test_a_second_reset_finds_nothing_to_delete(own: OwnPlatform) -> None:
    reset(own)
    deleted = reset(own)
    # the first reset's own request-log entry and audit entry (D42)
    assert {name: n for name, n in deleted.items() if n} == {"requestLogs": 1, "auditLog": 1}


def test_only_a_secret_test_key_may_reset(own: OwnPlatform) -> None:
    keys = own.server.keys
    with own.client(keys.live_secret_key) as live:
        refused = live.post(own.team("/test-helpers/reset"))
        clock = live.get(own.team("/test-helpers/clock"))
    assert refused.status_code == 403 == clock.status_code
    assert refused.json()["error"]["code"] == "insufficient_permissions"
    assert refused.json()["error"]["message"] == clock.json()["error"]["message"]
    assert "test mode only" in refused.json()["error"]["message"]
    with own.client(keys.publishable_key) as publishable:
        read_only = publishable.post(own.team("/test-helpers/reset"))
    assert read_only.json()["error"]["code"] == "publishable_key_write"


def test_every_table_is_cleared_or_on_the_keep_list(own: OwnPlatform) -> None:
    """A new table must say where it stands: environment data, or kept (see wipe.KEEP)."""
    tables = {r["name"] for r in sql(own, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(KEEP) <= tables
    assert plan(own.server.platform.db).unclassified == []


def test_a_table_added_later_is_cleared_without_touching_the_reset_code(own: OwnPlatform) -> None:
    team = own.server.keys.team_id
    for statement in (
        "CREATE TABLE widgets (id TEXT PRIMARY KEY, team_id TEXT NOT NULL, livemode INTEGER)",
        "CREATE TABLE widget_parts (id INTEGER PRIMARY KEY, widget_id TEXT REFERENCES widgets)",
        "CREATE TABLE mystery (id INTEGER PRIMARY KEY, note TEXT)",
        "INSERT INTO widgets VALUES ('w-test', ?, 0), ('w-live', ?, 1), ('w-other', 'x', 0)",
    ):
        sql(own, statement, (team, team) if "?" in statement else ())
    sql(own, "INSERT INTO widget_parts (widget_id) VALUES ('w-test'), ('w-test'), ('w-live')")

    deleted = reset(own)

    assert deleted["widgets"] == 1 and deleted["widgetParts"] == 2
    assert [r["id"] for r in sql(own, "SELECT id FROM widgets ORDER BY id")] == [
        "w-live",
        "w-other",
    ]
    assert [r["widget_id"] for r in sql(own, "SELECT widget_id FROM widget_parts")] == ["w-live"]
    assert plan(own.server.platform.db).unclassified == ["mystery"]  # nobody's: it has to say


def test_sequence_numbers_go_on_and_open_streams_stay_open(own: OwnPlatform) -> None:
    keys = own.server.keys
    with (
        SseTap(
            own.server.api_base + own.team("/realtime"),
            headers={"Authorization": f"Bearer {keys.secret_key}"},
        ) as tap,
        own.client() as api,
    ):
        data(api.post(own.team("/tickets"), json={"title": "before"}), 201)
        assert tap.wait(lambda t: len(t.events()) == 1)
        before = sql(own, "SELECT MAX(seq) AS seq FROM events")[0]["seq"]
        sequences = {r["name"]: r["seq"] for r in sql(own, "SELECT * FROM sqlite_sequence")}
        last_log = max(entry["seq"] for entry in data(api.get(own.team("/logs"))))
        reset(own)
        after = data(api.post(own.team("/tickets"), json={"title": "after"}), 201)
        assert tap.wait(lambda t: len(t.events()) == 2)  # the same stream, still open
        assert tap.event_data()[1]["ticket"]["id"] == after["id"]
        assert sql(own, "SELECT seq FROM events")[0]["seq"] > before
        now = {r["name"]: r["seq"] for r in sql(own, "SELECT * FROM sqlite_sequence")}
        assert all(now[name] >= seq for name, seq in sequences.items())  # none went back
        assert min(entry["seq"] for entry in data(api.get(own.team("/logs")))) > last_log
        [numbered] = sql(own, "SELECT number FROM tickets WHERE livemode = 0")
        assert numbered["number"] == 1001  # ticket numbers are the environment's: afresh


def test_listen_sessions_stay_and_their_queues_empty(own: OwnPlatform) -> None:
    with own.client() as api:
        session = data(api.post(own.team("/webhooks/listen"), json={"deviceName": "laptop"}), 201)
        for n in range(3):
            data(api.post(own.team("/tickets"), json={"title": f"queued {n}"}), 201)
        [listed] = data(api.get(own.team("/webhooks/listen/sessions")))
        assert listed["pending"] == 3
        deleted = reset(own)
        assert deleted["listenQueue"] == 3
        [kept] = data(api.get(own.team("/webhooks/listen/sessions")))
        assert kept["id"] == session["id"] and kept["pending"] == 0
        data(api.post(own.team("/tickets"), json={"title": "after"}), 201)
        [listed] = data(api.get(own.team("/webhooks/listen/sessions")))
        assert listed["pending"] == 1


def test_rate_limit_counts_start_afresh(own_platform: Start) -> None:
    limited = own_platform(rate_limits={"secret": 3, "publishable": 3, "anonymous": 3})
    with limited.client() as api:
        spare = data(api.post(limited.team("/keys"), json={"name": "spare"}), 201)["secret"]
        while api.get(limited.team("/tickets")).status_code != 429:
            pass
        assert reset(limited, spare)["keys"] == 1  # the spare key resets, and is gone
        answer = api.get(limited.team("/tickets"))
        assert answer.status_code == 200
        assert answer.headers["x-ratelimit-remaining"] == "2"
    with limited.client(spare) as gone:
        assert gone.get(limited.team("/tickets")).json()["error"]["code"] == "invalid_api_key"


def test_the_openapi_document_describes_the_reset(own: OwnPlatform) -> None:
    with httpx.Client(base_url=own.server.api_base) as http:
        doc = http.get("/openapi.json").json()
    operation = doc["paths"]["/api/v1/teams/{teamId}/test-helpers/reset"]["post"]
    assert "test-helpers" in operation["tags"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "deleted" in str(schema) or "$ref" in str(schema)


def test_an_older_database_learns_which_rows_are_its_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows seeded before the ``seed`` column existed are found by their seed values."""
    path = str(tmp_path / "old.db")
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:8])  # the release before
    old = db_module.Database(path)
    vault = open_vault(old)
    team = "t-1"
    with old.transaction():
        old.insert("teams", {"id": team, "name": "T", "slug": "t", "created_at": "2026-01-01"})
        for livemode in (False, True):
            for name, email, role in SEED_MEMBERS:
                old.insert(
                    "members", new_member(team, livemode, name, email, role, "2026-01-01", None)
                )
            old.insert(
                "members",
                new_member(team, livemode, "Later", "l@x.test", "agent", "2026-02-01", None),
            )
        for stamp, note in (("2026-01-01", ""), ("2026-03-01", ", re-issued")):
            for environment in ("test", "live"):
                for kind in ("secret", "publishable"):
                    name = f"Seed {kind} key ({environment}{note})"
                    insert_key(old, vault, team, kind, environment, name, stamp)
        insert_key(old, vault, team, "secret", "test", "ci", "2026-04-01")
    old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    new = db_module.Database(path)
    members = new.all("SELECT email, seed FROM members WHERE livemode = 0 ORDER BY seed")
    assert [(m["email"], m["seed"]) for m in members] == [
        ("l@x.test", 0),
        ("ada@example.com", 1),
        ("grace@example.com", 2),
        ("alan@example.com", 3),
    ]
    seeds = new.all("SELECT name FROM api_keys WHERE seed = 1 ORDER BY name")
    assert len(seeds) == 4 and all("re-issued" in row["name"] for row in seeds)
    new.close()


def test_an_attempt_in_flight_is_stopped_and_never_retried(own_platform: Start) -> None:
    slow = own_platform(delivery_budget=600.0)  # the attempt would wait ten minutes otherwise
    with RawReceiver(lambda conn: conn.recv(1)) as receiver, slow.client() as api:
        data(api.post(slow.team("/webhooks"), json={"url": receiver.url, "events": ["*"]}), 201)
        data(api.post(slow.team("/tickets"), json={"title": "in flight"}), 201)
        eventually(lambda: receiver.requests, lambda n: n == 1)
        assert reset(slow)["deliveries"] == 1
        assert receiver.finished.wait(10)  # the platform hung up: the attempt was stopped
        assert sql(slow, "SELECT id FROM deliveries") == []  # and recorded no retry


def test_a_connected_listener_stays_connected_and_numbering_goes_on(own: OwnPlatform) -> None:
    with own.client() as api:
        session = data(api.post(own.team("/webhooks/listen"), json={"deviceName": "ci"}), 201)
    url = own.server.api_base.replace("http", "ws", 1) + own.team(
        f"/webhooks/listen/{session['id']}/ws"
    )
    route = {"target": "http://127.0.0.1:9/hooks", "events": ["*"]}

    async def listen() -> tuple[list[int], int]:
        headers = {"Authorization": f"Bearer {own.server.keys.secret_key}"}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send(json.dumps({"type": "hello", "routes": [route]}))
            assert json.loads(await ws.recv())["type"] == "ready"
            seqs: list[int] = []
            for title in ("before", "after"):
                await asyncio.to_thread(make_ticket, title)
                frame = json.loads(await ws.recv())  # sent, never acknowledged
                seqs += [event["seq"] for event in frame["events"]]
                if title == "before":
                    await asyncio.to_thread(reset, own)
            with own.client() as api:
                [listed] = data(
                    await asyncio.to_thread(api.get, own.team("/webhooks/listen/sessions"))
                )
            return seqs, listed["pending"]

    def make_ticket(title: str) -> None:
        with own.client() as api:
            data(api.post(own.team("/tickets"), json={"title": title}), 201)

    seqs, pending = asyncio.run(listen())
    assert seqs == [1, 2]  # the route numbers on across the reset
    assert pending == 1  # the unacknowledged "before" went with the reset; "after" waits
