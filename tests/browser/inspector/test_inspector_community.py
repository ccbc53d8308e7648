"""The inspector's community view in Chromium (D43, D48): opened from the nav with the page's
token, and updated live when someone votes."""

from __future__ import annotations

from typing import Any

import httpx

from tests.browser.inspector.test_inspector import sign_in


def test_community_view_from_the_nav_updates_live(page: Any, api: httpx.Client) -> None:
    from playwright.sync_api import expect

    agent = api.get("/members", params={"role": "agent"}).json()["data"][0]["id"]
    post = {"title": "Keyboard shortcuts", "body": "b", "member_id": agent}
    made = api.post("/community/posts", json=post).json()["data"]
    sign_in(page, api)
    page.click("#nav a[href='/community']")
    row = page.locator(f"tr[data-id='{made['id']}']")
    expect(row).to_contain_text("Keyboard shortcuts")
    expect(row.locator("td").nth(2)).to_have_text("0")
    api.post(f"/community/posts/{made['id']}/votes", json={"member_id": agent})
    expect(row.locator("td").nth(2)).to_have_text("1")
    page.click("#nav a[href='/csat']")
    expect(page.locator("h1")).to_have_text("CSAT & SLA")
