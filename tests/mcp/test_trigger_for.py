"""The MCP ``trigger_event`` tool built from an existing object (D39), through ``mcp.Client``
on a server bound to the real session platform, with a real receiver."""

from __future__ import annotations

from typing import Any

from tests.mcp.conftest import McpRunner, Session
from tests.support.receivers import Receiver


def test_trigger_event_for_a_ticket_carries_the_ticket_as_it_is_now(mcp_run: McpRunner) -> None:
    platform = mcp_run.platform
    with Receiver() as receiver, platform.client() as http:
        made = http.post(
            platform.team_url("/webhooks"), json={"url": receiver.url, "events": ["ticket.closed"]}
        )
        assert made.status_code == 201, made.text
        hook = made.json()["data"]
        try:
            seen: dict[str, Any] = {}

            async def scenario(s: Session) -> None:
                ticket = await s.ok("create_ticket", title="Agent's first title")
                ticket_id = ticket["data"]["id"]
                await s.ok("update_ticket", ticketId=ticket_id, title="Agent's current title")
                fired = await s.ok(
                    "trigger_event",
                    event="ticket.closed",
                    forId=ticket_id,
                    data={"changes": {"status": {"from": "open", "to": "closed"}}},
                )
                seen.update(ticket_id=ticket_id, event_id=fired["data"]["eventId"])
                wrong = await s.error("trigger_event", event="customer.created", forId=ticket_id)
                assert wrong["param"] == "for"
                assert "ticket.created" in wrong["message"] and "ticket.closed" in wrong["message"]
                synthetic = await s.ok("list_events", origin="synthetic", pageSize=100)
                assert fired["data"]["eventId"] in [e["id"] for e in synthetic["data"]]
                assert all(e["origin"] == "synthetic" for e in synthetic["data"])
                spelled = await s.error(
                    "trigger_event", event="ticket.closed", **{"for": ticket_id}
                )
                assert "forId" in spelled["message"]

            mcp_run.run(scenario)
            [hit] = receiver.matching(lambda r: r.event["id"] == seen["event_id"])
        finally:
            http.delete(platform.team_url(f"/webhooks/{hook['id']}"))
        shown = http.get(platform.team_url(f"/events/{seen['event_id']}")).json()["data"]
    data = hit.event["data"]
    assert data["ticket"]["id"] == seen["ticket_id"]
    assert data["ticket"]["title"] == "Agent's current title"
    assert data["changes"] == {"status": {"from": "open", "to": "closed"}}
    assert shown["origin"] == "synthetic"
