"""The inspector's audit view (D42) in Chromium: a clock move made with the page's own button is
listed with source ``inspector``, and a write made elsewhere appears without a reload."""

from __future__ import annotations

from typing import Any

import httpx

from cstar_cli.wire.protocol import CLI_USER_AGENT


def test_the_audit_view_shows_who_wrote_from_where(page: Any, api: httpx.Client) -> None:
    from playwright.sync_api import expect

    url = api.post("/inspector/links").json()["data"]["url"]
    page.goto(url)
    expect(page.locator("#live")).to_have_attribute("data-state", "on")
    page.goto(page.url.rstrip("/") + "/clock")
    page.get_by_label("Advance by").fill("5m")
    page.get_by_role("button", name="Advance", exact=True).click()
    expect(page.locator("#offset")).to_have_text("+5m 00s")
    page.get_by_role("link", name="Audit").click()
    row = page.locator("#audit tbody tr").first
    expect(row).to_contain_text("test_clock.advanced")
    expect(row).to_contain_text("inspector")
    expect(row).to_contain_text("api_key")
    made = api.post(
        "/customers",
        json={"name": "Ada", "email": "ada@x.io"},
        headers={"User-Agent": CLI_USER_AGENT},
    )
    assert made.status_code == 201
    newest = page.locator("#audit tbody tr").first
    expect(newest).to_contain_text("customer.created")  # live, without a reload
    expect(newest).to_contain_text(made.json()["data"]["id"])
    expect(newest).to_contain_text("cli")
    page.locator("select[name=source]").select_option("inspector")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#audit tbody tr")).to_have_count(1)
    expect(page.locator("#audit tbody tr").first).to_contain_text("test_clock.advanced")
