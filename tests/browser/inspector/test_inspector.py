"""The inspector (D31, D48) in Chromium: the link traded for a token the page keeps, a ticket's
``dashboard_url`` in a new tab, live updates, Resend, listen sessions, the game, the test clock,
and no request to another origin (the inspector and /docs). Widths: ``test_inspector_layout``."""

from __future__ import annotations

from typing import Any

import httpx

from cstar_cli.platform.runner import PlatformThread
from tests.support.receivers import Receiver

MINUTE = 60


def link(api: httpx.Client) -> str:
    response = api.post("/inspector/links")
    assert response.status_code == 201, response.text
    url: str = response.json()["data"]["url"]
    return url


def sign_in(page: Any, api: httpx.Client, path: str = "/") -> None:
    from playwright.sync_api import expect

    page.goto(link(api))
    expect(page.locator("#live")).to_have_attribute("data-state", "on")  # the link is traded
    if path != "/":
        page.goto(path if path.startswith("http") else page.url.rstrip("/") + path)
        expect(page.locator("#live")).to_have_attribute("data-state", "on")


def newest(api: httpx.Client, event_type: str) -> str:
    [event] = api.get("/events", params={"type": event_type, "pageSize": 1}).json()["data"]
    event_id: str = event["id"]
    return event_id


def test_the_link_opens_the_inspector_and_the_bare_root_shows_nothing(
    page: Any, api: httpx.Client, server: PlatformThread
) -> None:
    from playwright.sync_api import expect

    api.post("/tickets", json={"title": "Before anyone looked"}).raise_for_status()
    page.goto(server.api_base + "/")
    expect(page.get_by_role("heading", name="Open the inspector with a link")).to_be_visible()
    expect(page.locator("body")).to_contain_text("cstar open")
    expect(page.locator("#nav")).to_be_hidden()
    expect(page.locator("table")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("ticket.created")

    opened = link(api)
    page.goto(opened)
    expect(page).to_have_url(server.api_base + "/")  # the token left the address bar
    expect(page.get_by_role("heading", name="Events")).to_be_visible()
    expect(page.locator(".env")).to_have_text("test mode")
    expect(page.locator("#team")).to_have_text("Local Dev Team")
    expect(page.locator("#events tbody")).to_contain_text("ticket.created")
    page.goto(opened)  # a used link in a browser with a session just opens the inspector
    expect(page.locator("#events tbody")).to_contain_text("ticket.created")


def test_the_session_is_a_token_in_local_storage_not_a_cookie(
    page: Any, api: httpx.Client, server: PlatformThread
) -> None:
    sign_in(page, api)
    assert page.context.cookies() == []
    token = page.evaluate("localStorage.getItem('cstar-inspector-token')")
    assert isinstance(token, str) and len(token) >= 40
    team = f"{server.api_base}/api/v1/teams/{server.keys.team_id}"
    for path in ("/events", "/tickets", "/logs", "/webhooks/listen/sessions"):
        assert page.request.get(team + path).status == 401, path
    from_page = page.evaluate(
        """async (url) => {
            const token = localStorage.getItem("cstar-inspector-token");
            const answer = await fetch(url, {headers: {"X-Inspector-Token": token}});
            return answer.status;
        }""",
        team + "/events",
    )
    assert from_page == 401  # the token opens the inspector's routes only
    assert page.request.get(server.api_base + "/inspector/view/").status == 401  # no header


def test_a_dashboard_url_opens_in_a_new_tab_with_names_and_no_stale_deadline(
    page: Any, api: httpx.Client
) -> None:
    from playwright.sync_api import expect

    grace = next(m for m in api.get("/members").json()["data"] if m["name"] == "Grace Hopper")
    ticket = api.post("/tickets", json={"title": "Sync stalls", "assignedTo": grace["id"]})
    ticket_id = ticket.json()["data"]["id"]
    note = {"content": "Check the cache", "isInternal": True, "senderName": "Grace Hopper"}
    api.post(f"/tickets/{ticket_id}/messages", json=note).raise_for_status()
    [event] = api.get("/events", params={"type": "ticket.created", "pageSize": 1}).json()["data"]
    dashboard_url = event["data"]["ticket"]["dashboard_url"]
    sign_in(page, api)

    tab = page.context.new_page()  # the same browser, a new tab: the same session
    tab.goto(dashboard_url)
    expect(tab.get_by_role("heading", name="Sync stalls")).to_be_visible()
    expect(tab).to_have_title("Sync stalls — cStar inspector")
    expect(tab.locator(".assignee")).to_have_text("Grace Hopper")
    expect(tab.locator(".msg.internal .msg-head")).to_contain_text(
        "Grace Hopper (agent) · internal note"
    )
    expect(tab.locator(".kv")).to_contain_text("Response due")
    api.patch(f"/tickets/{ticket_id}", json={"status": "closed"}).raise_for_status()
    expect(tab.locator(".kv")).to_contain_text("Closed")  # live: the page refreshed itself
    expect(tab.locator(".kv")).not_to_contain_text("Response due")
    expect(tab.locator(".kv")).not_to_contain_text("Resolution due")
    tab.close()


def test_revoking_the_key_empties_the_open_page(
    page: Any, api: httpx.Client, server: PlatformThread
) -> None:
    from playwright.sync_api import expect

    made = api.post("/keys", json={"name": "inspector", "type": "secret"}).json()["data"]
    with httpx.Client(
        base_url=str(api.base_url), headers={"Authorization": f"Bearer {made['secret']}"}
    ) as own:
        page.goto(own.post("/inspector/links").json()["data"]["url"])
    expect(page.locator("#live")).to_have_attribute("data-state", "on")
    expect(page.locator("#events")).to_be_visible()
    assert api.delete(f"/keys/{made['id']}").status_code == 200
    expect(page.locator(".signed-out .reason")).to_contain_text("revoked")
    expect(page.locator("#events")).to_have_count(0)
    expect(page.locator("#team")).to_be_hidden()
    assert page.evaluate("localStorage.getItem('cstar-inspector-token')") is None


def test_a_new_event_appears_in_an_open_page_without_a_reload(page: Any, api: httpx.Client) -> None:
    from playwright.sync_api import expect

    sign_in(page, api)
    page.evaluate("window.sameDocument = true")
    api.post("/tickets", json={"title": "Appears live"}).raise_for_status()
    event_id = newest(api, "ticket.created")
    expect(page.locator(f'#events tr[data-id="{event_id}"]')).to_be_visible()
    assert page.evaluate("window.sameDocument") is True


def test_an_event_shows_its_webhook_delivery_and_resend_delivers_it_again(
    page: Any, api: httpx.Client
) -> None:
    from playwright.sync_api import expect

    with Receiver() as receiver:
        hook = api.post("/webhooks", json={"url": receiver.url, "events": ["customer.created"]})
        assert hook.status_code == 201, hook.text
        try:
            api.post("/customers", json={"name": "Grace", "email": "grace@example.com"})
            event_id = newest(api, "customer.created")
            receiver.wait_for(lambda seen: len(seen) == 1)
            sign_in(page, api)
            page.locator(f'#events tr[data-id="{event_id}"]').click()
            target = page.locator(f'.target[data-target="{hook.json()["data"]["id"]}"]')
            expect(target).to_contain_text(receiver.url)
            expect(target.locator("tr.attempt")).to_have_count(1)
            expect(target.locator("tr.attempt").first).to_contain_text("succeeded")
            expect(target.locator("tr.attempt").first).to_contain_text("200")

            target.get_by_role("button", name="Resend").click()
            expect(page.locator("#toast")).to_contain_text("Resent to 1 target")
            expect(target.locator("tr.attempt")).to_have_count(2)
            expect(target.locator('tr.attempt[data-status="succeeded"]')).to_have_count(2)
            [_, again] = receiver.wait_for(lambda seen: len(seen) == 2)
            assert again.headers["x-event-id"] == event_id
            assert again.headers["x-delivery-attempt"] == "2"
        finally:
            api.delete(f"/webhooks/{hook.json()['data']['id']}")


def test_a_listen_session_is_listed(page: Any, api: httpx.Client) -> None:
    from playwright.sync_api import expect

    api.post("/webhooks/listen", json={"deviceName": "first-laptop"}).raise_for_status()
    sign_in(page, api, "/listen")
    row = page.locator("#sessions tbody tr").filter(has_text="first-laptop")
    expect(row).to_contain_text("not connected")
    api.post("/webhooks/listen", json={"deviceName": "second-laptop"}).raise_for_status()
    expect(page.locator("#sessions tbody tr").filter(has_text="second-laptop")).to_be_visible()


def test_the_game_shows_an_active_boss_with_its_hp_and_the_clock_buttons_work(
    page: Any, api: httpx.Client
) -> None:
    from playwright.sync_api import expect

    members = api.get("/members").json()["data"]
    grace = next(m for m in members if m["name"].startswith("Grace"))
    api.post("/tickets", json={"title": "Down", "priority": "urgent", "assignedTo": grace["id"]})
    sign_in(page, api, "/clock")
    page.get_by_label("Advance by").fill("12m")  # 12 of its 15 minutes: past 75 %, a boss
    page.get_by_role("button", name="Advance", exact=True).click()
    expect(page.locator("#offset")).to_have_text("+12m 00s")
    page.goto(page.url.replace("/clock", "/game"))
    boss = page.locator(".boss").first
    expect(boss).to_contain_text("100 / 100 HP")
    expect(boss.locator(".hp-fill")).to_have_attribute("style", "width: 100%;")
    page.goto(page.url.replace("/game", "/clock"))
    page.get_by_role("button", name="Reset to 0").click()
    expect(page.locator("#offset")).to_have_text("0 (real time)")
    assert api.get("/test-helpers/clock").json()["data"]["offsetSeconds"] == 0


def test_the_inspector_and_docs_make_no_request_to_another_origin(
    page: Any, api: httpx.Client, server: PlatformThread
) -> None:
    from playwright.sync_api import expect

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    api.post("/tickets", json={"title": "Offline"}).raise_for_status()
    sign_in(page, api)
    page.locator("#events tbody tr[data-href]").first.click()
    expect(page.locator("#payload")).to_be_visible()
    for path in (
        "/listen",
        "/webhooks",
        "/logs",
        "/game",
        "/community",
        "/csat",
        "/clock",
        "/audit",
    ):
        page.goto(server.api_base + path)
        expect(page.locator("#live")).to_have_attribute("data-state", "on")
    page.goto(server.api_base + "/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("cStar API")
    assert requested, "no request was recorded"
    elsewhere = [url for url in requested if not url.startswith(server.api_base + "/")]
    assert elsewhere == []
    assert any("/inspector/static/swagger-ui/swagger-ui-bundle.js" in url for url in requested)


def test_faulted_requests_and_attempts_are_marked(page: Any, api: httpx.Client) -> None:
    """D38: the log view and the event view show ``fault: flt_…`` on what a fault shaped."""
    from playwright.sync_api import expect

    with Receiver() as receiver:
        hook = api.post("/webhooks", json={"url": receiver.url, "events": ["customer.created"]})
        assert hook.status_code == 201, hook.text
        try:
            failing = {"on": "api", "match": {"method": "GET", "path": "/articles"}}
            api_fault = api.post(
                "/test-helpers/faults", json={**failing, "answer": {"status": 502}}
            )
            twice = api.post("/test-helpers/faults", json={"on": "deliveries", "duplicate": True})
            assert api.get("/articles").status_code == 502
            api.post("/customers", json={"name": "Ada", "email": "ada.faults@example.com"})
            event_id = newest(api, "customer.created")
            receiver.wait_for(lambda seen: len(seen) == 2)
            sign_in(page, api, "/logs")
            flt = api_fault.json()["data"]["id"]
            expect(page.locator("#logs .chip.fault")).to_have_count(1)
            expect(page.locator("#logs .chip.fault")).to_have_text(f"fault: {flt}")
            sign_in(page, api, f"/events/{event_id}")
            target = page.locator(f'.target[data-target="{hook.json()["data"]["id"]}"]')
            expect(target.locator('tr.attempt[data-status="succeeded"]')).to_have_count(2)
            marks = target.locator(".chip.fault")
            expect(marks).to_have_count(2)
            expect(marks.first).to_have_text(f"fault: {twice.json()['data']['id']}")
        finally:
            api.delete("/test-helpers/faults")
            api.delete(f"/webhooks/{hook.json()['data']['id']}")
