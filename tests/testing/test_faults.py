"""Faults on purpose (D38) through the library: ``cstar_dev.faults`` (and ``LocalPlatform.faults``)
over a real socket — how a team tests its own failure handling."""

from __future__ import annotations

from dataclasses import dataclass, field

from cstar_cli.client import CstarClient
from cstar_cli.testing import LocalPlatform
from cstar_cli.testing.receiver import Delivery


@dataclass
class TicketHandler:
    """A team's webhook handler: it handles each event once, however often it comes."""

    seen: set[str] = field(default_factory=set)
    tickets: list[str] = field(default_factory=list)

    def __call__(self, delivery: Delivery) -> None:
        if delivery.event_id in self.seen:
            return
        self.seen.add(str(delivery.event_id))
        assert delivery.payload is not None
        self.tickets.append(delivery.payload["data"]["ticket"]["id"])


def test_our_handler_survives_a_duplicate(cstar_dev: LocalPlatform) -> None:
    inbox, handle = cstar_dev.receiver(), TicketHandler()
    cstar_dev.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})

    cstar_dev.faults.deliveries(duplicate=True)
    ticket = cstar_dev.client().tickets.create({"title": "Printer on fire"})
    for delivery in inbox.wait_for("ticket.created", count=2):
        handle(delivery)

    assert handle.tickets == [ticket["id"]]  # the event came twice; the ticket was handled once
    assert [d.attempt for d in inbox.deliveries] == [1, 2]


def test_our_client_rides_out_two_503s(cstar_dev: LocalPlatform) -> None:
    fault = cstar_dev.faults.api("POST /tickets", status=503, count=2)
    waits: list[float] = []
    with CstarClient(
        cstar_dev.secret_key, api_base=cstar_dev.api_base, team_id=cstar_dev.team_id,
        sleep=waits.append,
    ) as client:  # fmt: skip
        client.tickets.create({"title": "Printer on fire"})
    assert len(waits) == 2
    assert cstar_dev.client().tickets.list().pagination.total == 1
    assert cstar_dev.faults.get(fault["id"])["hits"] == 2


def test_faults_are_listed_removed_cleared_and_reset(cstar_dev: LocalPlatform) -> None:
    kept = cstar_dev.faults.api("GET /tickets", delay_ms=10, until_removed=True)
    other = cstar_dev.faults.deliveries(reorder=2)
    assert [f["id"] for f in cstar_dev.faults.list()] == [kept["id"], other["id"]]
    assert cstar_dev.faults.remove(other["id"]) == {"id": other["id"], "deleted": True}
    assert [f["id"] for f in cstar_dev.faults.list()] == [kept["id"]]
    assert cstar_dev.faults.clear()["deleted"] == 1
    cstar_dev.faults.api("GET /tickets", status=500)
    assert cstar_dev.reset()["deleted"]["faults"] == 1
    assert cstar_dev.faults.list() == []
