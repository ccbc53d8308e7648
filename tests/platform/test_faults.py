"""Faults on purpose (D38) over a real socket: API faults fail or delay matching requests
without writing, are never kept for idempotent replay and are marked in the request log;
delivery faults duplicate, reorder, delay and mis-sign webhook deliveries, marked on the
attempts; a reset clears them."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from cstar_cli.client import CstarAPIError
from cstar_cli.client.signing import SignatureMismatchError, construct_event
from cstar_cli.testing import LocalPlatform
from cstar_cli.wire.faults import REORDER_FLUSH_SECONDS
from cstar_cli.wire.times import parse_iso
from tests.support.inspector import inspector_client
from tests.support.platforms import OwnPlatform, Start
from tests.support.waiting import eventually


@pytest.fixture
def cstar(cstar_dev: LocalPlatform) -> LocalPlatform:
    """The library's own ``cstar_dev`` (D36): the session's platform, reset for this test."""
    return cstar_dev


def raw(cstar: LocalPlatform) -> httpx.Client:
    """A plain client (no retries) on the team's paths."""
    return httpx.Client(
        base_url=f"{cstar.api_base}/api/v1/teams/{cstar.team_id}",
        headers={"Authorization": f"Bearer {cstar.secret_key}"},
        timeout=10,
    )


def logged(cstar: LocalPlatform, method: str, path: str) -> list[dict[str, Any]]:
    """The request log's entries for ``method`` on the team-relative ``path``, oldest first."""
    page = cstar.client().logs.list({"method": method, "path": path, "pageSize": 100})
    return list(reversed(page.data))


# -- API faults ------------------------------------------------------------------------------------
def test_a_503_fault_fails_matching_writes_in_the_error_shape_and_the_retry_does_the_write(
    cstar: LocalPlatform,
) -> None:
    fault = cstar.faults.api("POST /tickets", status=503, count=2)
    assert fault["id"].startswith("flt_") and fault["remaining"] == 2
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with raw(cstar) as api:
        answers = [api.post("/tickets", json={"title": "Printer on fire"}, headers=key)]
        answers.append(api.post("/tickets", json={"title": "Printer on fire"}, headers=key))
        assert api.get("/customers").status_code == 200  # GET /customers does not match
        answers.append(api.post("/tickets", json={"title": "Printer on fire"}, headers=key))
        again = api.post("/tickets", json={"title": "Printer on fire"}, headers=key)
    for answer in answers[:2]:
        assert answer.status_code == 503
        error = answer.json()["error"]
        assert error["code"] == "service_unavailable" and error["type"] == "api_error"
        assert error["fault"] == fault["id"]
        assert error["request_id"] == answer.headers["x-cstar-request-id"]
        assert "idempotent-replayed" not in answer.headers  # never kept for replay
    assert answers[2].status_code == 201  # the retry with the same key did the write
    assert again.headers["idempotent-replayed"] == "true"  # and that answer is kept
    assert again.json()["data"]["id"] == answers[2].json()["data"]["id"]
    assert cstar.client().tickets.list().pagination.total == 1
    shown = cstar.faults.get(fault["id"])
    assert (shown["remaining"], shown["hits"]) == (0, 2)
    entries = logged(cstar, "POST", "/tickets")
    assert [(e["status"], e["fault"]) for e in entries] == [
        (503, fault["id"]),
        (503, fault["id"]),
        (201, None),
        (201, None),
    ]


def test_a_429_fault_says_when_to_retry_with_the_rate_limit_headers(cstar: LocalPlatform) -> None:
    cstar.faults.api("GET /tickets", status=429, retry_after=7)
    with raw(cstar) as api:
        limited = api.get("/tickets")
        after = api.get("/tickets")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
        limited.headers
    )
    error = limited.json()["error"]
    assert (error["code"], error["type"], error["retryAfter"]) == (
        "rate_limit_exceeded",
        "rate_limit_error",
        7,
    )
    assert after.status_code == 200  # count 1 by default


def test_a_delay_fault_answers_late_and_normally(cstar: LocalPlatform) -> None:
    fault = cstar.faults.api("POST /customers", delay_ms=300)
    customer = cstar.client().customers.create({"name": "Ada", "email": "ada@example.com"})
    assert customer["email"] == "ada@example.com"
    [entry] = logged(cstar, "POST", "/customers")
    assert entry["status"] == 201 and entry["fault"] == fault["id"]
    assert entry["durationMs"] >= 299  # (the event loop may wake a timer a hair early)


def test_paths_are_globs_and_test_helpers_never_match(cstar: LocalPlatform) -> None:
    fault = cstar.faults.api("/tickets/*", status=500, until_removed=True)
    ticket = cstar.client().tickets.create({"title": "Kept"})  # /tickets itself: no match
    with raw(cstar) as api:
        assert api.get(f"/tickets/{ticket['id']}").status_code == 500
        assert api.get(f"/tickets/{ticket['id']}/messages").status_code == 500
        everything = api.post(
            "/test-helpers/faults",
            json={"on": "api", "answer": {"status": 502}, "count": None},
        )
        assert everything.status_code == 201
        assert api.get("/test-helpers/faults").status_code == 200  # never faulted
        assert api.get("/customers").status_code == 502
    assert cstar.faults.get(fault["id"])["remaining"] is None
    assert cstar.faults.clear() == {"object": "faults_cleared", "deleted": 2}
    assert cstar.faults.list() == []


def test_bad_faults_are_400s_naming_the_field(cstar: LocalPlatform) -> None:
    with raw(cstar) as api:
        cases = {
            "answer.status": {"on": "api", "answer": {"status": 418}},
            "answer": {"on": "api", "match": {"path": "/tickets"}},
            "reorder": {"on": "deliveries", "reorder": 1},
            "duplicate": {"on": "deliveries"},
            "delayMs": {"on": "deliveries", "reorder": 3, "delayMs": 10},
            "signWith": {"on": "deliveries", "signWith": "old-secret"},
            "match.eventTypes": {
                "on": "deliveries",
                "duplicate": True,
                "match": {"eventTypes": ["tiket.created"]},
            },
        }
        for param, body in cases.items():
            answer = api.post("/test-helpers/faults", json=body)
            assert answer.status_code == 400, (param, answer.text)
            assert answer.json()["error"]["param"] == param, (param, answer.text)
        unknown = api.post(
            "/test-helpers/faults",
            json={"on": "deliveries", "duplicate": True, "match": {"webhookId": "whk_" + "0" * 32}},
        )
        assert unknown.status_code == 404
        missing = api.get("/test-helpers/faults/flt_" + "0" * 32)
        assert missing.status_code == 404
        assert api.delete("/test-helpers/faults/flt_" + "0" * 32).status_code == 404


def test_faults_are_for_test_mode_only(own_platform: Start) -> None:
    own: OwnPlatform = own_platform()
    fault = {"on": "api", "answer": {"status": 503}}
    with own.client(own.server.keys.live_secret_key) as live:
        refused = live.post(own.team("/test-helpers/faults"), json=fault)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "insufficient_permissions"
        assert live.get(own.team("/test-helpers/faults")).status_code == 403
    with own.client(own.server.keys.publishable_key) as public:
        assert public.post(own.team("/test-helpers/faults"), json=fault).status_code == 403
    with own.client() as test:
        assert test.post(own.team("/test-helpers/faults"), json=fault).status_code == 201
    with own.client(own.server.keys.live_secret_key) as live:  # live requests never match
        assert live.post(own.team("/tickets"), json={"title": "Live"}).status_code == 201


def test_a_reset_clears_the_faults(cstar: LocalPlatform) -> None:
    cstar.faults.api("POST /tickets", status=503, until_removed=True)
    cstar.faults.deliveries(duplicate=True)
    assert cstar.reset()["deleted"]["faults"] == 2
    assert cstar.faults.list() == []
    assert cstar.client().tickets.create({"title": "Works again"})["id"].startswith("tkt_")


# -- delivery faults -------------------------------------------------------------------------------
def deliveries_of(cstar: LocalPlatform, event_id: str) -> list[dict[str, Any]]:
    deliveries: list[dict[str, Any]] = cstar.client().events.get(event_id)["deliveries"]
    return sorted(deliveries, key=lambda d: d["attempt"])


def test_a_duplicate_fault_delivers_the_same_event_twice_counting_attempts_on(
    cstar: LocalPlatform,
) -> None:
    inbox = cstar.receiver()
    hook = cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
    fault = cstar.faults.deliveries(duplicate=True, event_types=["ticket.created"])
    cstar.client().tickets.create({"title": "Twice"})
    cstar.client().tickets.create({"title": "Once"})  # count 1: the first attempt only
    got = inbox.wait_for("ticket.created", count=3)
    first, second = (
        d for d in got if d.payload and d.payload["data"]["ticket"]["title"] == "Twice"
    )
    assert first.headers["X-Event-ID"] == second.headers["X-Event-ID"]
    assert (first.attempt, second.attempt) == (1, 2)
    assert first.verified and second.verified
    [once] = [d for d in got if d.payload and d.payload["data"]["ticket"]["title"] == "Once"]
    assert once.attempt == 1
    attempts = eventually(
        lambda: deliveries_of(cstar, str(first.event_id)),
        lambda ds: len(ds) == 2 and all(d["status"] == "succeeded" for d in ds),
    )
    assert [d["fault"] for d in attempts] == [fault["id"], fault["id"]]
    assert [d["webhookId"] for d in attempts] == [hook["id"], hook["id"]]
    assert deliveries_of(cstar, str(once.event_id))[0]["fault"] is None
    page = cstar.client().webhooks.deliveries(hook["id"], {"pageSize": 10})
    assert sorted(str(d["fault"]) for d in page.data) == sorted([fault["id"]] * 2 + ["None"])


def test_a_reorder_fault_shuffles_a_window_and_loses_nothing(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver()
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    fault = cstar.faults.deliveries(reorder=3)
    assert fault["count"] == 3  # one window
    made = [cstar.client().tickets.create({"title": f"T{n}"})["id"] for n in range(3)]
    got = inbox.wait_for("ticket.created", count=3)
    arrived = [d.payload["data"]["ticket"]["id"] for d in got if d.payload]
    assert sorted(arrived) == sorted(made)
    assert arrived != made
    assert all(d.verified and d.attempt == 1 for d in got)
    for delivery in got:
        [attempt] = deliveries_of(cstar, str(delivery.event_id))
        assert attempt["fault"] == fault["id"]


def test_a_partial_reorder_window_goes_out_after_two_seconds(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver()
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    cstar.faults.deliveries(reorder=3, count=2)
    written = time.time()  # (before the first: its window's timer starts after this)
    made = [cstar.client().tickets.create({"title": f"T{n}"})["id"] for n in range(2)]
    got = inbox.wait_for("ticket.created", count=2, timeout=15)
    arrived = [d.payload["data"]["ticket"]["id"] for d in got if d.payload]
    assert arrived == list(reversed(made))  # two can only be shuffled one way
    assert got[0].received_at - written >= REORDER_FLUSH_SECONDS - 0.05  # held for the window


def test_a_wrong_secret_fault_fails_verification(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver()
    hook = cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    secret = hook["secret"]
    fault = cstar.faults.deliveries(sign_with="wrong-secret")
    cstar.client().tickets.create({"title": "Forged"})
    [delivery] = inbox.wait_for("ticket.created")
    assert not delivery.verified
    with pytest.raises(SignatureMismatchError):
        construct_event(delivery.body, delivery.headers["X-Signature"], secret)
    [attempt] = deliveries_of(cstar, str(delivery.event_id))
    assert attempt["fault"] == fault["id"]


def test_an_old_secret_fault_signs_with_the_secret_before_the_last_rotation(
    cstar: LocalPlatform,
) -> None:
    inbox = cstar.receiver()
    hook = cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    with pytest.raises(CstarAPIError) as never_rotated:
        cstar.faults.deliveries(sign_with="old-secret", webhook_id=hook["id"])
    assert never_rotated.value.status == 400
    rotated = cstar.client().webhooks.rotate_secret(hook["id"])
    cstar.faults.deliveries(sign_with="old-secret", webhook_id=hook["id"])
    cstar.client().tickets.create({"title": "Signed the old way"})
    [delivery] = inbox.wait_for("ticket.created")
    header = delivery.headers["X-Signature"]
    assert construct_event(delivery.body, header, hook["secret"])["type"] == "ticket.created"
    with pytest.raises(SignatureMismatchError):
        construct_event(delivery.body, header, rotated["secret"])


def test_a_delay_fault_sends_the_first_attempt_late(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver()
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    fault = cstar.faults.deliveries(delay_ms=400)
    cstar.client().tickets.create({"title": "Late"})
    [delivery] = inbox.wait_for("ticket.created")
    [attempt] = eventually(
        lambda: deliveries_of(cstar, str(delivery.event_id)),
        lambda ds: [d["status"] for d in ds] == ["succeeded"],
    )
    assert attempt["fault"] == fault["id"]
    late = 0.4 - 0.002  # (stamps are to the millisecond)
    assert parse_iso(attempt["scheduledAt"]) - parse_iso(attempt["createdAt"]) >= late
    assert parse_iso(attempt["startedAt"]) - parse_iso(attempt["createdAt"]) >= late


# -- the inspector ---------------------------------------------------------------------------------
def test_the_inspector_marks_faulted_requests_and_attempts(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver()
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    api_fault = cstar.faults.api("GET /customers", status=502)
    delivery_fault = cstar.faults.deliveries(duplicate=True)
    with raw(cstar) as api:
        assert api.get("/customers").status_code == 502
    cstar.client().tickets.create({"title": "Marked"})
    [first, _] = inbox.wait_for("ticket.created", count=2)
    eventually(
        lambda: deliveries_of(cstar, str(first.event_id)),
        lambda ds: [d["status"] for d in ds] == ["succeeded", "succeeded"],
    )
    with inspector_client(cstar.client().inspector.link()["url"]) as browser:
        logs = browser.get("/inspector/view/logs")
        event = browser.get(f"/inspector/view/events/{first.event_id}")
    assert logs.status_code == 200 and event.status_code == 200
    assert f"fault: {api_fault['id']}" in logs.text
    assert event.text.count(f"fault: {delivery_fault['id']}") == 2
