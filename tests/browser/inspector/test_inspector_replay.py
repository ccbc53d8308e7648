"""Edit & resend in the inspector (D39), in Chromium: the payload's data edited in the page,
checked before sending, sent with the page's inspector token as a new event to the chosen
target; where an event came from is shown."""

from __future__ import annotations

import json
from typing import Any

import httpx

from cstar_cli.client.signing import construct_event
from tests.browser.inspector.test_inspector import sign_in
from tests.support.receivers import Receiver


def replays(api: httpx.Client) -> list[dict[str, Any]]:
    answer = api.get("/events", params={"origin": "replay", "pageSize": 100})
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["data"]
    return found


def test_edit_and_resend_sends_a_new_event_with_the_edited_title_to_the_chosen_webhook(
    page: Any, api: httpx.Client
) -> None:
    from playwright.sync_api import expect

    with Receiver() as first, Receiver() as chosen:
        made = api.post("/webhooks", json={"url": first.url, "events": ["ticket.created"]})
        other = api.post("/webhooks", json={"url": chosen.url, "events": ["survey.submitted"]})
        hook, target = made.json()["data"], other.json()["data"]
        try:
            ticket = api.post("/tickets", json={"title": "Printer on fire"}).json()["data"]
            [original] = first.matching(
                lambda r: (
                    r.event["type"] == "ticket.created"
                    and r.event["data"]["ticket"]["id"] == ticket["id"]
                )
            )
            event_id = original.event["id"]
            sign_in(page, api, f"/events/{event_id}")
            expect(page.locator(".chip.origin")).to_have_text("action")
            page.get_by_text("Edit & resend").click()
            box = page.locator("#replay-data")
            data = json.loads(box.input_value())
            assert data == original.event["data"]

            # invalid JSON: a message in the page, and nothing is sent
            box.fill(box.input_value().replace('"Printer on fire"', '"Printer on fire'))
            page.get_by_role("button", name="Send as a new event").click()
            problem = page.locator(".replay-problem")
            expect(problem).to_be_visible()
            expect(problem).to_contain_text("not valid JSON")
            assert replays(api) == []

            data["ticket"]["title"] = "Printer on fire (edited)"
            box.fill(json.dumps(data, indent=2))
            page.locator("#replay-target").select_option(target["id"])
            page.get_by_role("button", name="Send as a new event").click()
            expect(page.locator("#toast")).to_contain_text("Sent as new event evt_ticket_created_")
            expect(problem).to_be_hidden()
            [hit] = chosen.matching(lambda r: r.event["type"] == "ticket.created")
        finally:
            api.delete(f"/webhooks/{hook['id']}")
            api.delete(f"/webhooks/{target['id']}")
    replayed = construct_event(hit.body, hit.headers["x-signature"], target["secret"])
    assert replayed["data"]["ticket"]["title"] == "Printer on fire (edited)"
    assert replayed["id"] != event_id
    assert "origin" not in replayed and "replayOf" not in replayed
    assert [r["id"] for r in replays(api)] == [replayed["id"]]
    assert replays(api)[0]["replayOf"] == event_id
    assert len(first.snapshot()) == 1  # the original's webhook was not the chosen one

    page.goto(page.url.split("/events/")[0] + f"/events/{replayed['id']}")
    expect(page.locator(".chip.origin")).to_have_text("replay")
    expect(page.locator(".replay-of")).to_contain_text(event_id)


def test_the_events_list_marks_synthetic_and_replayed_events(page: Any, api: httpx.Client) -> None:
    from playwright.sync_api import expect

    ticket = api.post("/tickets", json={"title": "Marked"}).json()["data"]
    fired = api.post(
        "/webhooks/trigger-test", json={"event": "ticket.updated", "for": ticket["id"]}
    )
    synthetic = fired.json()["data"]["eventId"]
    real = api.get("/events", params={"type": "ticket.created", "pageSize": 1}).json()["data"][0]
    sign_in(page, api)
    expect(page.locator(f'#events tr[data-id="{synthetic}"] .chip.origin')).to_have_text(
        "synthetic"
    )
    expect(page.locator(f'#events tr[data-id="{real["id"]}"]')).to_be_visible()
    expect(page.locator(f'#events tr[data-id="{real["id"]}"] .chip.origin')).to_have_count(0)
    page.locator(f'#events tr[data-id="{synthetic}"]').click()
    expect(page.locator(".chip.origin")).to_have_text("synthetic")
    expect(page.locator("#payload")).to_contain_text('"title": "Marked"')
    expect(page.locator("#payload")).not_to_contain_text('"origin"')
