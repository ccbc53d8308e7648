"""The inspector at a phone's width and a desktop's: every page fits the window (tables scroll
in their own box, payloads wrap), and the nav is there to use."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread

LONG = "http://127.0.0.1:9/an/endpoint/path/long/enough/to/push/any/table/past/a/phone/screen"
TITLE = "Printer-" + "on-fire-" * 40  # no space to wrap at


@pytest.fixture(scope="module")
def pages(server: PlatformThread) -> dict[str, str]:
    """A store with long values everywhere, and each page's path."""
    with httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {server.keys.secret_key}"},
        timeout=10,
    ) as api:
        api.post("/webhooks", json={"url": LONG, "events": ["*"]}).raise_for_status()
        api.post("/webhooks/listen", json={"deviceName": "a-laptop-with-a-long-name"})
        ticket = api.post("/tickets", json={"title": TITLE, "message": {"content": "x" * 300}})
        ticket_id = ticket.json()["data"]["id"]
        api.get("/tickets", params={"search": "y" * 150})
        created = api.get("/events", params={"type": "ticket.created", "pageSize": 1})
        [event] = created.json()["data"]
    return {
        "events": "/",
        "event": f"/events/{event['id']}",
        "listen": "/listen",
        "webhooks": "/webhooks",
        "logs": "/logs",
        "game": "/game",
        "clock": "/clock",
        "ticket": f"/tickets/{ticket_id}",
    }


@pytest.mark.parametrize("width", [420, 1400])
def test_every_page_fits_the_window_and_the_nav_is_reachable(
    page: Any, server: PlatformThread, pages: dict[str, str], width: int
) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 800})
    with httpx.Client(headers={"Authorization": f"Bearer {server.keys.secret_key}"}) as api:
        minted = api.post(f"{server.api_base}/api/v1/teams/{server.keys.team_id}/inspector/links")
    page.goto(minted.json()["data"]["url"])
    expect(page.locator("#live")).to_have_attribute("data-state", "on")
    for name, path in pages.items():
        page.goto(server.api_base + path)
        expect(page.locator("#main #view-meta")).to_be_attached()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (name, width, widths)
        for link in page.locator("#nav a").all():
            expect(link).to_be_visible()
            expect(link).to_be_in_viewport()
    page.goto(server.api_base + pages["event"])
    payload = page.locator("#payload")
    expect(payload).to_contain_text(TITLE)
    wraps = payload.evaluate("pre => pre.scrollWidth <= pre.clientWidth")
    assert wraps, "the payload scrolls sideways instead of wrapping"
    page.locator("#nav a", has_text="Logs").click()  # the nav works, not just shows
    expect(page.get_by_role("heading", name="Request log")).to_be_visible()
