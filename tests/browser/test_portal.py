"""The customer-portal example in Chromium, on its own origin, against a platform on a socket.

Everything a portal needs works (list, open, create, message, live updates, the library
without a key) and nothing more than D23/D18 allow does — checked from inside the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cstar_cli.wire import catalog
from tests.browser.conftest import Portal

Start = Callable[..., Portal]


@pytest.fixture
def console_errors_allowed() -> Callable[[str], bool]:
    """All: the browser logs every request the platform refuses, and refusals are tested here."""
    return lambda message: True


def open_portal(page: Any, portal: Portal) -> None:
    from playwright.sync_api import expect

    page.goto(portal.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#live")).to_have_text("live")
    expect(page.locator("#who")).to_have_text("Ada (ada@portal.test)")


def customer_id(portal: Portal, email: str) -> str:
    with portal.staff() as staff:
        found = staff.get("/customers", params={"search": email}).json()["data"]
    assert len(found) == 1
    return str(found[0]["id"])


def test_a_portal_page_lists_creates_messages_and_updates_live(
    portal_for: Start, page: Any
) -> None:
    from playwright.sync_api import expect

    portal = portal_for()
    open_portal(page, portal)
    expect(page.locator("#no-tickets")).to_be_visible()

    page.fill("#new-title", "Printer on fire")
    page.select_option("#new-priority", "high")
    page.fill("#new-message", "It smokes.")
    page.click("#create")
    tickets, messages = page.locator("#tickets li"), page.locator("#messages li .content")
    expect(tickets).to_have_count(1)
    expect(page.locator("#ticket-title")).to_have_text("Printer on fire")
    expect(messages).to_have_text(["It smokes."])
    ticket = tickets.first.get_attribute("data-id")

    with portal.staff() as staff:  # the support team answers: the page shows it live
        path = f"/tickets/{ticket}"
        staff.post(f"{path}/messages", json={"content": "Fraud risk?", "isInternal": True})
        staff.post(f"{path}/messages", json={"content": "On it!", "senderName": "Sam"})
        expect(messages).to_have_text(["It smokes.", "On it!"])  # never the internal note
        staff.patch(path, json={"status": "pending"})
        expect(page.locator("#ticket-status")).to_have_text("pending")

        page.fill("#reply", "Thanks!")
        page.click("#send")
        expect(messages).to_have_text(["It smokes.", "On it!", "Thanks!"])
        stored = staff.get(f"{path}/messages").json()["data"]
        assert (stored[-1]["sender"], stored[-1]["senderName"]) == ("customer", "Ada")
        assert staff.get(path).json()["data"]["priority"] == "high"

        bob = staff.post("/customers", json={"name": "Bob", "email": "bob@portal.test"})
        staff.post("/tickets", json={"title": "Bob's own", "customerId": bob.json()["data"]["id"]})
        ada = customer_id(portal, "ada@portal.test")
        staff.post("/tickets", json={"title": "We noticed an outage", "customerId": ada})
    titles = page.locator("#tickets li .title")
    expect(titles).to_have_text(["We noticed an outage", "Printer on fire"])
    page.click("#tickets li >> text=We noticed an outage")
    expect(page.locator("#ticket-title")).to_have_text("We noticed an outage")
    expect(messages).to_have_count(0)
    expect(page.locator("#error")).to_have_text("")


def test_the_help_center_says_when_it_is_empty_and_shows_articles_published_later(
    portal_for: Start, page: Any
) -> None:
    from playwright.sync_api import expect

    portal = portal_for()
    open_portal(page, portal)
    expect(page.locator("#no-articles")).to_have_text("No articles yet.")
    expect(page.locator("#articles li")).to_have_count(0)
    with portal.staff() as staff:  # published after the page loaded: it appears without a reload
        staff.post("/articles", json={"title": "Draft notes"}).raise_for_status()
        published = {"title": "Reset your password", "status": "published", "isPublic": True}
        staff.post("/articles", json=published).raise_for_status()
    expect(page.locator("#articles li")).to_have_text(["Reset your password"])
    expect(page.locator("#no-articles")).to_be_hidden()
    page.fill("#search", "nothing like it")
    expect(page.locator("#no-articles")).to_have_text("No articles match “nothing like it”.")


def test_from_another_origin_a_page_gets_what_d23_allows_and_nothing_more(
    portal_for: Start, page: Any
) -> None:
    portal = portal_for()
    keys = portal.platform.keys
    with portal.staff(keys.live_secret_key) as live:  # the library without a key reads live data
        live.post("/articles", json={"title": "Reset", "status": "published", "isPublic": True})
    open_portal(page, portal)
    with portal.staff() as staff:
        bob = staff.post("/customers", json={"name": "Bob", "email": "bob@portal.test"})
        bobs = staff.post(
            "/tickets", json={"title": "Bob's", "customerId": bob.json()["data"]["id"]}
        )
    answers = page.evaluate(
        """async ({bobsTicket}) => {
          const s = await (await fetch("session.json")).json();
          const team = `${s.apiBase}/api/v1/teams/${s.teamId}`;
          const library = `${s.apiBase}/api/library/${s.teamId}`;
          const portal = {"Authorization": `Bearer ${s.publishableKey}`,
                          "X-Cstar-Identity": s.identity, "X-Cstar-Identity-Hash": s.identityHash};
          const json = {"Content-Type": "application/json"};
          const call = async (url, init) => {
            const r = await fetch(url, init);
            const body = await r.json();
            return {status: r.status, code: body.success ? null : body.error.code,
                    requestId: r.headers.get("x-cstar-request-id"), data: body.data};
          };
          return {
            articles: await call(`${library}/articles`),
            view: await call(`${library}/articles/reset/view`, {method: "POST"}),
            vote: await call(`${library}/articles/reset/feedback`,
                             {method: "POST", headers: json, body: '{"rating":"helpful"}'}),
            customers: await call(`${team}/customers`, {headers: portal}),
            webhooks: await call(`${team}/webhooks`, {headers: portal}),
            othersTicket: await call(`${team}/tickets/${bobsTicket}`, {headers: portal}),
            notes: await call(`${team}/tickets`, {method: "POST", headers: {...portal, ...json},
                                                  body: '{"title":"x","notes":"n"}'}),
            urgent: await call(`${team}/tickets`, {method: "POST", headers: {...portal, ...json},
                                                   body: '{"title":"x","priority":"urgent"}'}),
            noIdentity: await call(`${team}/tickets`,
                                   {headers: {"Authorization": portal.Authorization}}),
            forged: await call(`${team}/tickets`,
                               {headers: {...portal, "X-Cstar-Identity-Hash": "0".repeat(64)}}),
          };
        }""",
        {"bobsTicket": bobs.json()["data"]["id"]},
    )
    assert answers["articles"]["status"] == 200
    assert [a["title"] for a in answers["articles"]["data"]] == ["Reset"]
    assert answers["articles"]["requestId"].startswith("req_")  # exposed to the page
    assert (answers["view"]["status"], answers["view"]["data"]["viewCount"]) == (200, 1)
    assert answers["vote"]["status"] == 201
    refused = {name: (answers[name]["status"], answers[name]["code"]) for name in answers}
    assert refused["customers"] == (403, "insufficient_permissions")
    assert refused["webhooks"] == (403, "insufficient_permissions")
    assert refused["othersTicket"] == (404, "resource_missing")
    assert refused["notes"] == (403, "insufficient_permissions")
    assert refused["urgent"] == (403, "insufficient_permissions")
    assert refused["noIdentity"] == (403, "insufficient_permissions")
    assert refused["forged"] == (401, "identity_verification_failed")


def test_a_publishable_stream_without_an_identity_gets_no_ticket_events(
    portal_for: Start, page: Any
) -> None:
    portal = portal_for()
    open_portal(page, portal)
    page.evaluate(
        """async (types) => {
          const s = await (await fetch("session.json")).json();
          const params = new URLSearchParams({key: s.publishableKey});
          const source = new EventSource(
            `${s.apiBase}/api/v1/teams/${s.teamId}/realtime?${params}`);
          window.seen = [];
          types.forEach((type) => source.addEventListener(type, () => window.seen.push(type)));
          await new Promise((resolve) => { source.onopen = resolve; });
        }""",
        list(catalog.EVENT_TYPES),
    )
    with portal.staff() as staff:
        ada = customer_id(portal, "ada@portal.test")
        staff.post("/tickets", json={"title": "For Ada", "customerId": ada})
        staff.post("/articles", json={"title": "Draft"})
        staff.post("/webhooks/trigger-test", json={"event": "boss.spawned"})
    page.wait_for_function("window.seen.includes('boss.spawned')")
    assert page.evaluate("window.seen") == ["boss.spawned"]


def test_an_origin_the_platform_does_not_allow_cannot_call_it(portal_for: Start, page: Any) -> None:
    from playwright.sync_api import expect

    portal = portal_for(cors_origins=("http://elsewhere.test",))
    page.goto(portal.url)
    expect(page.locator("#error")).to_have_text("Failed to fetch")
    outcome = page.evaluate(
        "(url) => fetch(url).then((r) => `answered ${r.status}`, (e) => `${e.name}: ${e.message}`)",
        f"{portal.platform.api_base}/api/library/{portal.team_id}/articles",
    )
    assert outcome == "TypeError: Failed to fetch"
