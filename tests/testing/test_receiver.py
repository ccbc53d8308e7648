"""``Receiver`` on its own (no platform): what it records, checks and answers, over real sockets."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from cstar_cli.client.signing import sign_payload
from cstar_cli.testing import DeliveryTimeout, Receiver
from cstar_cli.testing.receiver import Headers

SECRET = "whsec_receiver_test"


@pytest.fixture
def inbox() -> Iterator[Receiver]:
    with Receiver(SECRET) as receiver:
        yield receiver


def deliver(
    inbox: Receiver,
    event_type: str = "ticket.created",
    *,
    secret: str = SECRET,
    attempt: int = 1,
    body: bytes | None = None,
) -> httpx.Response:
    """POST one delivery the way the platform does."""
    payload = body or json.dumps({"type": event_type, "data": {"n": 1}}).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Signature": sign_payload(payload, secret),
        "X-Event-Type": event_type,
        "X-Event-ID": f"evt_{event_type}",
        "X-Webhook-ID": "whk_0123",
        "X-Delivery-Attempt": str(attempt),
    }
    return httpx.post(inbox.url, content=payload, headers=headers)


def test_a_delivery_is_recorded_verified_with_its_payload_and_headers(inbox: Receiver) -> None:
    answer = deliver(inbox)
    assert answer.status_code == 200
    [delivery] = inbox.wait_for("ticket.created")
    assert delivery.verified and delivery.verification_error is None
    assert delivery.payload == {"type": "ticket.created", "data": {"n": 1}}
    assert delivery.event_id == "evt_ticket.created"
    assert delivery.webhook_id == "whk_0123"
    assert delivery.attempt == 1
    assert delivery.status == 200
    assert delivery.path == "/"
    assert delivery.headers["x-event-type"] == delivery.headers["X-Event-Type"]


def test_a_wrong_secret_is_recorded_as_not_verified_and_says_why(inbox: Receiver) -> None:
    deliver(inbox, secret="whsec_someone_else")
    [delivery] = inbox.wait_for()
    assert not delivery.verified
    assert delivery.verification_error is not None
    assert delivery.verification_error.startswith("signature_mismatch")
    assert delivery.payload is not None  # still parsed: the test decides what to make of it


def test_without_a_secret_or_lookup_nothing_verifies() -> None:
    with Receiver() as inbox:
        deliver(inbox)
        [delivery] = inbox.wait_for()
    assert not delivery.verified
    assert "no secret" in (delivery.verification_error or "")


def test_a_secret_set_after_the_start_is_used() -> None:
    with Receiver() as inbox:
        inbox.secret = SECRET
        deliver(inbox)
        assert inbox.wait_for()[0].verified


def test_the_lookup_finds_the_secret_of_the_named_webhook() -> None:
    asked: list[str] = []

    def lookup(webhook_id: str) -> str | None:
        asked.append(webhook_id)
        return SECRET

    with Receiver(lookup=lookup) as inbox:
        deliver(inbox)
        assert inbox.wait_for()[0].verified
    assert asked == ["whk_0123"]


def test_an_unknown_webhook_is_not_verified() -> None:
    with Receiver(lookup=lambda _: None) as inbox:
        deliver(inbox)
        [delivery] = inbox.wait_for()
    assert not delivery.verified
    assert "no webhook whk_0123" in (delivery.verification_error or "")


def test_respond_with_queues_answers_then_goes_back_to_200(inbox: Receiver) -> None:
    inbox.respond_with(500, times=2).respond_with(503, times=1)
    statuses = [deliver(inbox, attempt=n).status_code for n in range(1, 6)]
    assert statuses == [500, 500, 503, 200, 200]
    assert [d.status for d in inbox.deliveries] == statuses


def test_respond_with_without_times_answers_from_now_on(inbox: Receiver) -> None:
    inbox.respond_with(410)
    assert [deliver(inbox).status_code for _ in range(3)] == [410, 410, 410]
    inbox.respond_with(200)
    assert deliver(inbox).status_code == 200


@pytest.mark.parametrize(("status", "times"), [(199, None), (600, None), (500, 0)])
def test_respond_with_refuses_what_it_cannot_answer(
    inbox: Receiver, status: int, times: int | None
) -> None:
    with pytest.raises(ValueError, match="must be"):
        inbox.respond_with(status, times=times)


def test_wait_for_takes_patterns_and_counts_in_arrival_order(inbox: Receiver) -> None:
    for event_type in ("ticket.created", "customer.created", "ticket.updated"):
        deliver(inbox, event_type)
    assert [d.event_type for d in inbox.wait_for("ticket.*", count=2)] == [
        "ticket.created",
        "ticket.updated",
    ]
    assert len(inbox.wait_for(count=3)) == 3
    assert [d.event_type for d in inbox.deliveries] == [
        "ticket.created",
        "customer.created",
        "ticket.updated",
    ]


def test_wait_for_fails_listing_what_arrived(inbox: Receiver) -> None:
    deliver(inbox, "ticket.updated")
    with pytest.raises(DeliveryTimeout) as failed:
        inbox.wait_for("ticket.created", timeout=0)
    message = str(failed.value)
    assert "1 delivery of 'ticket.created'" in message
    assert inbox.url in message
    assert "1. ticket.updated evt_ticket.updated attempt 1, verified, answered 200" in message
    assert isinstance(failed.value, AssertionError)  # a test failure, not an error


def test_wait_for_on_an_empty_receiver_says_nothing_arrived(inbox: Receiver) -> None:
    with pytest.raises(DeliveryTimeout, match="Nothing arrived at all"):
        inbox.wait_for(timeout=0)


def test_clear_forgets_what_arrived(inbox: Receiver) -> None:
    deliver(inbox)
    inbox.wait_for()
    inbox.clear()
    assert inbox.deliveries == []


def test_keep_alive_chunked_bodies_and_expect_continue_are_read() -> None:
    payload = json.dumps({"type": "x"}).encode()
    header = sign_payload(payload, SECRET)
    with Receiver(SECRET) as inbox, httpx.Client() as client:

        def chunks() -> Iterator[bytes]:
            yield payload[:5]
            yield payload[5:]

        sent = [
            client.post(inbox.url, content=chunks(), headers={"X-Signature": header}),
            client.post(
                inbox.url + "hooks",
                content=payload,
                headers={"X-Signature": header, "Expect": "100-continue"},
            ),
        ]
        assert [r.status_code for r in sent] == [200, 200]
        assert [d.verified for d in inbox.deliveries] == [True, True]
        assert [d.body for d in inbox.deliveries] == [payload, payload]
        assert inbox.deliveries[1].path == "/hooks"


def test_only_post_is_a_delivery(inbox: Receiver) -> None:
    assert httpx.get(inbox.url).status_code == 405
    assert inbox.deliveries == []


def test_garbage_is_answered_400_and_not_recorded(inbox: Receiver) -> None:
    port = int(inbox.url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400 Bad Request")
    assert inbox.deliveries == []


def test_headers_are_case_insensitive_and_join_repeats() -> None:
    headers = Headers([("X-A", "1"), ("x-a", "2"), ("B", "3")])
    assert headers["x-A"] == "1, 2"
    assert "b" in headers and "c" not in headers
    assert list(headers) == ["x-a", "b"] and len(headers) == 2


def test_a_closed_receiver_keeps_its_deliveries_and_refuses_connections() -> None:
    with Receiver(SECRET) as inbox:
        deliver(inbox)
        inbox.wait_for()
    assert len(inbox.deliveries) == 1
    with pytest.raises(httpx.ConnectError):
        deliver(inbox)
    inbox.close()  # twice is fine
