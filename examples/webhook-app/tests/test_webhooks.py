"""The webhook handler against a real local cStar platform: each test creates a ticket, the
platform delivers the real, signed event to a receiver, and the test hands that delivery to the
app byte for byte. ``cstar_dev`` is the fixture cstar-cli brings (reset before each test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from webhook_app import create_app

from cstar_cli.testing import Delivery, LocalPlatform, Receiver


@pytest.fixture
def subscribed(cstar_dev: LocalPlatform) -> Iterator[tuple[Receiver, TestClient]]:
    """A receiver subscribed to ticket events, and the app holding that webhook's secret."""
    inbox = cstar_dev.receiver()
    hook = cstar_dev.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
    with TestClient(create_app(secret=hook["secret"])) as app:
        yield inbox, app


def hand_over(app: TestClient, delivery: Delivery, body: bytes | None = None) -> httpx.Response:
    """POST a delivery to the app as it arrived: its raw body and its signed headers."""
    headers = {k: v for k, v in delivery.headers.items() if k.startswith("x-")}
    headers["content-type"] = "application/json"
    return app.post("/webhooks/cstar", content=body or delivery.body, headers=headers)


def stored(app: TestClient) -> dict[str, Any]:
    tickets: dict[str, Any] = app.get("/tickets").json()
    return tickets


def test_a_new_ticket_is_stored(cstar_dev: LocalPlatform, subscribed: Any) -> None:
    inbox, app = subscribed
    ticket = cstar_dev.client().tickets.create({"title": "Printer on fire"})
    [delivery] = inbox.wait_for("ticket.created")
    assert delivery.verified
    assert hand_over(app, delivery).json() == {"received": True, "duplicate": False}
    assert stored(app)[ticket["id"]]["title"] == "Printer on fire"


def test_a_status_change_updates_the_stored_ticket(
    cstar_dev: LocalPlatform, subscribed: Any
) -> None:
    inbox, app = subscribed
    ticket = cstar_dev.client().tickets.create({"title": "Printer on fire"})
    cstar_dev.client().tickets.update(ticket["id"], {"status": "pending"})
    for delivery in inbox.wait_for("ticket.*", count=2):
        hand_over(app, delivery)
    assert stored(app)[ticket["id"]] == {
        "title": "Printer on fire",
        "status": "pending",
        "lastEvent": "ticket.updated",
    }


def test_a_forged_delivery_is_refused(cstar_dev: LocalPlatform, subscribed: Any) -> None:
    inbox, app = subscribed
    cstar_dev.client().tickets.create({"title": "Printer on fire"})
    [delivery] = inbox.wait_for("ticket.created")
    forged = delivery.body.replace(b"Printer on fire", b"Printer is fine")
    answer = hand_over(app, delivery, body=forged)
    assert answer.status_code == 400
    assert answer.json() == {"error": "signature_mismatch"}
    assert stored(app) == {}


def test_a_redelivered_event_is_handled_once(cstar_dev: LocalPlatform, subscribed: Any) -> None:
    inbox, app = subscribed
    cstar_dev.client().tickets.create({"title": "Printer on fire"})
    [delivery] = inbox.wait_for("ticket.created")
    hand_over(app, delivery)
    assert hand_over(app, delivery).json() == {"received": True, "duplicate": True}
    assert len(stored(app)) == 1


def test_other_events_are_acknowledged_and_ignored(cstar_dev: LocalPlatform) -> None:
    inbox = cstar_dev.receiver()
    hook = cstar_dev.client().webhooks.create({"url": inbox.url, "events": ["customer.*"]})
    cstar_dev.client().customers.create({"name": "Ada", "email": "ada@example.org"})
    [delivery] = inbox.wait_for("customer.created")
    with TestClient(create_app(secret=hook["secret"])) as app:
        assert hand_over(app, delivery).status_code == 200
        assert stored(app) == {}
