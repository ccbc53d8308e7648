"""The inspector (D31, D48) over real sockets: links traded for session tokens, page shells
without data, views and buttons with the token, and the API routes it added (listen sessions,
clock reset, links). Who may reach which route, the token's lifetime and the logs:
``test_inspector_session.py``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.inspector import HEADER, inspector_client, link_token, new_link, team_api, trade
from tests.support.platforms import platform_of_its_own
from tests.support.sse import SseTap


@pytest.fixture(scope="module")
def server() -> Iterator[PlatformThread]:
    with platform_of_its_own() as platform:
        yield platform


@contextlib.contextmanager
def signed_in(server: PlatformThread, key: str | None = None) -> Iterator[httpx.Client]:
    """What an inspector page does after opening a fresh link: the token in every request."""
    with inspector_client(new_link(server, key)) as browser:
        yield browser


def status(server: PlatformThread, key: str, method: str, path: str, **kwargs: Any) -> int:
    with team_api(server, key) as client:
        return client.request(method, path, **kwargs).status_code


def test_a_page_is_a_shell_that_says_how_to_get_a_link_and_holds_no_data(
    server: PlatformThread,
) -> None:
    with team_api(server) as client:
        client.post("/tickets", json={"title": "Secret plans"}).raise_for_status()
    for path in ("/", "/listen", "/logs", "/game", "/clock", "/webhooks", "/events/evt_x"):
        page = httpx.get(server.api_base + path, timeout=10)
        assert page.status_code == 200, path
        assert "cstar open" in page.text and "Inspector" in page.text
        assert server.keys.team_id not in page.text and "Secret plans" not in page.text
        assert "evt_" not in page.text and "Local Dev Team" not in page.text
        assert "set-cookie" not in page.headers


def test_a_link_is_traded_once_for_a_session_token_and_never_a_cookie(
    server: PlatformThread,
) -> None:
    link = new_link(server)
    assert urlsplit(link).path == "/" and "token=" in link
    first = trade(link)
    assert first.status_code == 201, first.text
    assert "set-cookie" not in first.headers
    data = first.json()["data"]
    assert data["object"] == "inspector_session" and data["environment"] == "test"
    assert len(data["token"]) >= 40 and server.keys.secret_key not in first.text
    again = trade(link)
    assert again.status_code == 401 and "already used" in again.json()["error"]["message"]
    assert server.inspector_url.startswith(f"{server.api_base}/?token=")
    foreign = httpx.post(
        f"{server.api_base}/inspector/session",
        json={"link": link_token(new_link(server))},
        headers={"Origin": "http://127.0.0.1:5173"},
        timeout=10,
    )
    assert foreign.status_code == 403


def test_a_view_shows_the_environment_and_nothing_leaks_the_key(server: PlatformThread) -> None:
    with signed_in(server) as browser:
        page = browser.get("/inspector/view/")
        assert page.status_code == 200
        assert 'data-env="test"' in page.text and "Local Dev Team" in page.text
        assert server.keys.secret_key not in page.text
        assert browser.headers[HEADER] not in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"


def test_the_session_token_opens_no_api_route(server: PlatformThread) -> None:
    with signed_in(server) as browser:
        token = browser.headers[HEADER]
        team = f"/api/v1/teams/{server.keys.team_id}"
        for headers in ({HEADER: token}, {"Authorization": f"Bearer {token}"}):
            for path in ("/events", "/tickets", "/webhooks/listen/sessions", "/logs"):
                refused = browser.get(team + path, headers=headers)
                assert refused.status_code == 401, path
            write = browser.post(team + "/test-helpers/clock/advance", json={"seconds": 60})
            assert write.status_code == 401


def test_links_need_a_secret_key_of_the_environment_they_show(server: PlatformThread) -> None:
    assert status(server, server.keys.publishable_key, "POST", "/inspector/links") == 403
    with team_api(server) as client:
        live_from_test = client.post("/inspector/links", json={"environment": "live"})
    assert live_from_test.status_code == 403
    assert "sk_live_" in live_from_test.json()["error"]["message"]
    with team_api(server, server.keys.live_secret_key) as client:
        live = client.post("/inspector/links", json={"environment": "live"})
    assert live.status_code == 201 and live.json()["data"]["environment"] == "live"
    with inspector_client(live.json()["data"]["url"]) as browser:
        assert 'data-env="live"' in browser.get("/inspector/view/").text
        assert "test mode only" in browser.get("/inspector/view/clock").text


def test_a_button_is_its_api_call_with_the_token_and_refuses_another_origin(
    server: PlatformThread,
) -> None:
    with signed_in(server) as browser:
        path = "/inspector/call/test-helpers/clock/advance"
        no_token = httpx.post(server.api_base + path, json={"seconds": 60}, timeout=10)
        assert no_token.status_code == 401
        other_origin = {"Origin": "http://localhost:5173"}
        foreign = browser.post(path, json={"seconds": 60}, headers=other_origin)
        assert foreign.status_code == 403
        advanced = browser.post(path, json={"seconds": 600}, headers={"Origin": server.api_base})
        assert advanced.status_code == 200, advanced.text
        assert advanced.json()["data"]["offsetSeconds"] == 600
        assert browser.post("/inspector/call/keys", json={}).status_code == 404
        reset = browser.post("/inspector/call/test-helpers/clock/reset")
        assert reset.status_code == 200 and reset.json()["data"]["offsetSeconds"] == 0
    with team_api(server) as client:
        assert client.get("/test-helpers/clock").json()["data"]["offsetSeconds"] == 0
        logged = client.get("/logs", params={"path": "/test-helpers/clock/*"}).json()["data"]
        assert {entry["source"] for entry in logged} >= {"dashboard"}


def test_the_clock_resets_through_the_api_too(server: PlatformThread) -> None:
    with team_api(server) as client:
        client.post("/test-helpers/clock/advance", json={"seconds": 3600}).raise_for_status()
        reset = client.post("/test-helpers/clock/reset")
        assert reset.status_code == 200
        assert reset.json()["data"]["offsetSeconds"] == 0
        assert reset.json()["data"]["advancedBy"] == -3600
    live_key = server.keys.live_secret_key
    assert status(server, live_key, "POST", "/test-helpers/clock/reset") == 403


def test_listen_sessions_are_listed_without_their_secrets(server: PlatformThread) -> None:
    with team_api(server) as client:
        opened = client.post("/webhooks/listen", json={"deviceName": "ada-laptop"})
        assert opened.status_code == 201
        listed = client.get("/webhooks/listen/sessions")
        assert listed.status_code == 200
        [session] = [s for s in listed.json()["data"] if s["deviceName"] == "ada-laptop"]
        assert session["id"] == opened.json()["data"]["id"]
        assert session["connected"] is False and session["pending"] == 0
        assert "signingSecret" not in session
        assert opened.json()["data"]["signingSecret"] not in listed.text
    sessions = "/webhooks/listen/sessions"
    assert status(server, server.keys.publishable_key, "GET", sessions) == 403
    with signed_in(server) as browser:
        assert "ada-laptop" in browser.get("/inspector/view/listen").text


def test_a_ticket_has_a_stable_page(server: PlatformThread) -> None:
    with team_api(server) as client:
        ticket = client.post("/tickets", json={"title": "Printer on fire"}).json()["data"]
    shell = httpx.get(f"{server.api_base}/tickets/{ticket['id']}", timeout=10)
    assert shell.status_code == 200 and "Printer on fire" not in shell.text
    with signed_in(server) as browser:
        page = browser.get(f"/inspector/view/tickets/{ticket['id']}")
        assert page.status_code == 200 and "Printer on fire" in page.text
        missing = browser.get("/inspector/view/tickets/tkt_00000000000000000000000000000000")
        assert missing.status_code == 404


def test_the_ticket_page_names_people_and_drops_deadlines_once_closed(
    server: PlatformThread,
) -> None:
    with team_api(server) as client:
        grace = next(
            m for m in client.get("/members").json()["data"] if m["name"] == "Grace Hopper"
        )
        ticket = client.post(
            "/tickets", json={"title": "Slow sync", "assignedTo": grace["id"]}
        ).json()["data"]
        path = f"/tickets/{ticket['id']}/messages"
        note = {"content": "Check the cache", "isInternal": True, "senderName": "Grace Hopper"}
        client.post(path, json=note).raise_for_status()
        client.post(path, json={"content": "Looking", "isInternal": True}).raise_for_status()
        with signed_in(server) as browser:
            view = f"/inspector/view/tickets/{ticket['id']}"
            page = browser.get(view).text
            assert 'title="' + grace["id"] + '">Grace Hopper</span>' in page
            assert "Grace Hopper (agent)</strong> <span" in page and "· internal note" in page
            assert ">Agent</strong>" in page and "agent agent" not in page
            assert "Response due" in page and "Resolution due" in page
            client.patch(f"/tickets/{ticket['id']}", json={"status": "closed"}).raise_for_status()
            closed = browser.get(view).text
            assert "Response due" not in closed and "Resolution due" not in closed
            assert "<th>Closed</th>" in closed


def test_every_api_request_wakes_the_live_stream_but_its_own_reads_are_not_logged(
    server: PlatformThread,
) -> None:
    with signed_in(server) as browser:
        token = browser.headers[HEADER]
        with team_api(server) as client:
            before = client.get("/logs", params={"pageSize": 1}).json()["pagination"]["total"]
        for path in ("/", "/logs", "/game", "/webhooks", "/listen", "/clock"):
            assert browser.get("/inspector/view" + path).status_code == 200, path
        live = f"{server.api_base}/inspector/live"
        with SseTap(live, params={"token": token}) as tap, team_api(server) as client:
            client.get("/tickets").raise_for_status()
            assert tap.wait(lambda t: any(m.event == "log" for m in t.messages))
            after = client.get("/logs", params={"pageSize": 1}).json()["pagination"]["total"]
        assert after == before + 2  # the two GETs above, none of the pages' reads
