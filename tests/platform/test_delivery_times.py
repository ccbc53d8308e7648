"""When delivery attempts ran (issue 21): the API gives each attempt's start and finish beside
when it was queued and when it is due; ``cstar webhooks deliveries`` and ``cstar events get``
show when each ran and when a pending retry will (``due in 28 s``), not when it was queued."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cstar_cli.cli.context import Seams
from cstar_cli.wire.times import iso
from tests.support.cli import CliFn
from tests.support.platforms import OwnPlatform, Start
from tests.support.receivers import Receiver
from tests.support.waiting import eventually


@pytest.fixture
def failing_once() -> Iterator[Receiver]:
    """A receiver that answers the first attempt 500 and every later one 200."""
    with Receiver(respond=lambda r: 500 if r.headers["x-delivery-attempt"] == "1" else 200) as got:
        yield got


def attempts(platform: OwnPlatform, event_id: str) -> list[dict[str, Any]]:
    with platform.client() as client:
        event = client.get(platform.team(f"/events/{event_id}")).json()["data"]
    found: list[dict[str, Any]] = event["deliveries"]
    return found


def test_each_attempt_says_when_it_ran_and_a_pending_retry_when_it_is_due(
    own_platform: Start, failing_once: Receiver, cli: CliFn
) -> None:
    platform = own_platform(retry_scale=1.0)
    t0 = platform.clock.now
    with platform.client() as client:
        hook = client.post(
            platform.team("/webhooks"), json={"url": failing_once.url, "events": ["ticket.created"]}
        ).json()["data"]
        client.post(platform.team("/tickets"), json={"title": "Checkout down"})
    event_id = failing_once.event_of_type("ticket.created")["id"]
    first, retry = eventually(
        lambda: attempts(platform, event_id),
        lambda found: len(found) == 2,
        explain=lambda found: f"attempts: {found}",
    )
    assert (first["attempt"], first["status"], first["responseStatus"]) == (1, "failed", 500)
    assert first["startedAt"] == first["finishedAt"] == iso(t0)  # the clock stood still
    assert (retry["attempt"], retry["status"]) == (2, "pending")
    assert retry["createdAt"] == iso(t0), "queued the moment attempt 1 failed"
    assert retry["scheduledAt"] == iso(t0 + 30), "due 30 s later (D13)"
    assert retry["startedAt"] is None and retry["finishedAt"] is None

    platform.clock.advance(2)
    seams = Seams(clock=platform.clock)
    login = ["--api-base", platform.server.api_base, "--api-key", platform.server.keys.secret_key]
    listed = cli("webhooks", "deliveries", hook["id"], *login, seams=seams)
    assert listed.exit_code == 0, listed.output
    assert "due in 28 s" in listed.stdout
    assert "STARTED" in listed.stdout and "FINISHED" in listed.stdout
    started_at = f"{iso(t0)[:10]} {iso(t0)[11:19]}"
    assert started_at in listed.stdout
    shown = cli("events", "get", event_id, *login, seams=seams)
    assert shown.exit_code == 0, shown.output
    assert "due in 28 s" in shown.stdout and started_at in shown.stdout

    platform.clock.advance(28)  # attempt 2 runs 30 s after attempt 1
    first, second = eventually(
        lambda: attempts(platform, event_id),
        lambda found: found[1]["status"] != "pending",
        explain=lambda found: f"attempts: {found}",
    )
    assert (second["status"], second["responseStatus"]) == ("succeeded", 200)
    assert second["startedAt"] == second["finishedAt"] == iso(t0 + 30)
    assert second["createdAt"] == iso(t0) and second["scheduledAt"] == iso(t0 + 30)
    later = f"{iso(t0 + 30)[:10]} {iso(t0 + 30)[11:19]}"
    listed = cli("webhooks", "deliveries", hook["id"], *login, seams=seams)
    assert later in listed.stdout and started_at in listed.stdout
    assert "due in" not in listed.stdout
    as_json = cli("webhooks", "deliveries", hook["id"], "--json", *login, seams=seams).json()
    assert [d["startedAt"] for d in as_json] == [iso(t0 + 30), iso(t0)]  # newest first


def test_a_test_delivery_was_due_when_it_started(own_platform: Start) -> None:
    """``POST /webhooks/{id}/test`` sends at once: its attempt is due, started and finished
    then (it used to say it was due in 1970)."""
    platform = own_platform()
    with Receiver() as receiver, platform.client() as client:
        hook = client.post(
            platform.team("/webhooks"), json={"url": receiver.url, "events": ["*"]}
        ).json()["data"]
        tested = client.post(platform.team(f"/webhooks/{hook['id']}/test"), json={})
        assert tested.status_code == 200, tested.text
        [attempt] = client.get(platform.team(f"/webhooks/{hook['id']}/deliveries")).json()["data"]
    now = iso(platform.clock.now)
    assert attempt["scheduledAt"] == attempt["startedAt"] == attempt["finishedAt"] == now
