"""Local payloads link to the local platform: `dashboard_url` is `{apiBase}/tickets/{id}` (D31)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.wire.catalog import sample_data


@pytest.fixture
def own() -> Iterator[tuple[PlatformThread, httpx.Client]]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as server:
        base = f"{server.api_base}/api/v1/teams/{server.keys.team_id}"
        headers = {"Authorization": f"Bearer {server.keys.secret_key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            yield server, client


def test_ticket_events_link_to_the_local_ticket_page(
    own: tuple[PlatformThread, httpx.Client],
) -> None:
    server, client = own
    ticket = client.post("/tickets", json={"title": "Printer on fire"}).json()["data"]
    client.patch(f"/tickets/{ticket['id']}", json={"status": "closed"})
    events = client.get("/events").json()["data"]
    links = {e["data"]["ticket"]["dashboard_url"] for e in events if "ticket" in e["data"]}
    assert links == {f"{server.api_base}/tickets/{ticket['id']}"}


def test_synthetic_events_link_to_the_local_platform_too(
    own: tuple[PlatformThread, httpx.Client],
) -> None:
    server, client = own
    client.post("/webhooks/trigger-test", json={"event": "ticket.closed"})
    event = client.get("/events", params={"type": "ticket.closed"}).json()["data"][0]
    ticket = event["data"]["ticket"]
    assert ticket["dashboard_url"] == f"{server.api_base}/tickets/{ticket['id']}"


def test_the_hosted_form_is_unchanged_without_a_local_base() -> None:
    data = sample_data("ticket.created", team_id="t", team_slug="acme", now=0.0)
    assert data["ticket"]["dashboard_url"].startswith("https://www.cstar.help/team/acme/tickets?")
