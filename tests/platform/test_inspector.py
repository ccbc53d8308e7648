"""The inspector (D31) over real sockets: links, the cookie, CSRF and Origin, the key's lifetime,
the live stream, and the API routes it added (listen sessions, clock reset, links)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.sse import SseTap


@pytest.fixture(scope="module")
def server() -> Iterator[PlatformThread]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as platform:
        yield platform


def api(server: PlatformThread, key: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {key or server.keys.secret_key}"},
        timeout=10,
    )


def mint(server: PlatformThread, key: str | None = None) -> str:
    with api(server, key) as client:
        response = client.post("/inspector/links")
    assert response.status_code == 201, response.text
    url: str = response.json()["data"]["url"]
    return url


@contextlib.contextmanager
def signed_in(server: PlatformThread, key: str | None = None) -> Iterator[httpx.Client]:
    """A browser-like client that opened a fresh link (so it holds the cookie)."""
    with httpx.Client(base_url=server.api_base, timeout=10) as browser:
        opened = browser.get(mint(server, key), follow_redirects=True)
        assert opened.status_code == 200, opened.text
        yield browser


def status(server: PlatformThread, key: str, method: str, path: str, **kwargs: Any) -> int:
    with api(server, key) as client:
        return client.request(method, path, **kwargs).status_code


def csrf(page: httpx.Response) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_the_bare_root_is_a_401_page_that_says_how_to_get_a_link(server: PlatformThread) -> None:
    with api(server) as client:
        client.post("/tickets", json={"title": "Secret plans"}).raise_for_status()
    for path in ("/", "/listen", "/logs", "/game", "/clock", "/webhooks", "/events/evt_x"):
        page = httpx.get(server.api_base + path, timeout=10)
        assert page.status_code == 401, path
        assert "cstar open" in page.text and "Inspector" in page.text
        assert server.keys.team_id not in page.text and "Secret plans" not in page.text
        assert "evt_" not in page.text and "Local Dev Team" not in page.text


def test_a_link_sets_a_strict_httponly_cookie_and_works_once(server: PlatformThread) -> None:
    link = mint(server)
    assert urlsplit(link).path == "/" and "token=" in link
    first = httpx.get(link)
    assert first.status_code == 303 and first.headers["location"] == "/"
    cookie = first.headers["set-cookie"]
    assert f"cstar_inspector_{server.port}=" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert server.keys.secret_key not in cookie
    again = httpx.get(link)
    assert again.status_code == 401 and "already used" in again.text
    assert server.inspector_url.startswith(f"{server.api_base}/?token=")


def test_a_signed_in_page_shows_the_environment_and_nothing_leaks_the_key(
    server: PlatformThread,
) -> None:
    with signed_in(server) as browser:
        page = browser.get("/")
        assert page.status_code == 200
        assert "test mode" in page.text and "Local Dev Team" in page.text
        assert server.keys.secret_key not in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        # a used link in a browser that is signed in already just lands on the page
        assert browser.get(server.api_base + "/?token=used", follow_redirects=True).is_success


def test_the_inspector_cookie_opens_no_api_route(server: PlatformThread) -> None:
    with signed_in(server) as browser:
        team = f"/api/v1/teams/{server.keys.team_id}"
        for path in ("/events", "/tickets", "/webhooks/listen/sessions", "/logs"):
            refused = browser.get(team + path)
            assert refused.status_code == 401, path
            assert refused.json()["error"]["code"] == "authentication_required"
        write = browser.post(team + "/test-helpers/clock/advance", json={"seconds": 60})
        assert write.status_code == 401


def test_links_need_a_secret_key_of_the_environment_they_show(server: PlatformThread) -> None:
    assert status(server, server.keys.publishable_key, "POST", "/inspector/links") == 403
    with api(server) as client:
        live_from_test = client.post("/inspector/links", json={"environment": "live"})
    assert live_from_test.status_code == 403
    assert "sk_live_" in live_from_test.json()["error"]["message"]
    with api(server, server.keys.live_secret_key) as client:
        live = client.post("/inspector/links", json={"environment": "live"})
    assert live.status_code == 201 and live.json()["data"]["environment"] == "live"
    with httpx.Client(timeout=10) as browser:
        page = browser.get(live.json()["data"]["url"], follow_redirects=True)
        assert "live mode" in page.text
        clock = browser.get(server.api_base + "/clock")
        assert "test mode only" in clock.text


def test_a_button_is_its_api_call_and_needs_the_csrf_token_and_origin(
    server: PlatformThread,
) -> None:
    with signed_in(server) as browser:
        token = csrf(browser.get("/clock"))
        path = "/inspector/call/test-helpers/clock/advance"
        origin = {"Origin": server.api_base}
        no_token = browser.post(path, json={"seconds": 60}, headers=origin)
        assert no_token.status_code == 403
        other_origin = {"Origin": "http://localhost:5173", "X-CSRF-Token": token}
        assert browser.post(path, json={"seconds": 60}, headers=other_origin).status_code == 403
        no_origin = browser.post(path, json={"seconds": 60}, headers={"X-CSRF-Token": token})
        assert no_origin.status_code == 403
        good = {"Origin": server.api_base, "X-CSRF-Token": token}
        advanced = browser.post(path, json={"seconds": 600}, headers=good)
        assert advanced.status_code == 200, advanced.text
        assert advanced.json()["data"]["offsetSeconds"] >= 600
        assert browser.post("/inspector/call/keys", json={}, headers=good).status_code == 404
        reset = browser.post("/inspector/call/test-helpers/clock/reset", headers=good)
        assert reset.status_code == 200 and reset.json()["data"]["offsetSeconds"] == 0
    with api(server) as client:
        assert client.get("/test-helpers/clock").json()["data"]["offsetSeconds"] == 0
        logged = client.get("/logs", params={"path": "/test-helpers/clock/*"}).json()["data"]
        assert {entry["source"] for entry in logged} >= {"dashboard"}


def test_the_clock_resets_through_the_api_too(server: PlatformThread) -> None:
    with api(server) as client:
        client.post("/test-helpers/clock/advance", json={"seconds": 3600}).raise_for_status()
        reset = client.post("/test-helpers/clock/reset")
        assert reset.status_code == 200
        assert reset.json()["data"]["offsetSeconds"] == 0
        assert reset.json()["data"]["advancedBy"] == -3600
    live_key = server.keys.live_secret_key
    assert status(server, live_key, "POST", "/test-helpers/clock/reset") == 403


def test_listen_sessions_are_listed_without_their_secrets(server: PlatformThread) -> None:
    with api(server) as client:
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
        assert "ada-laptop" in browser.get("/listen").text


def test_a_ticket_has_a_stable_page(server: PlatformThread) -> None:
    with api(server) as client:
        ticket = client.post("/tickets", json={"title": "Printer on fire"}).json()["data"]
    assert httpx.get(f"{server.api_base}/tickets/{ticket['id']}").status_code == 401
    with signed_in(server) as browser:
        page = browser.get(f"/tickets/{ticket['id']}")
        assert page.status_code == 200 and "Printer on fire" in page.text
        assert browser.get("/tickets/tkt_00000000000000000000000000000000").status_code == 404


def test_revoking_the_key_ends_its_sessions_and_their_live_streams(
    server: PlatformThread,
) -> None:
    with api(server) as client:
        made = client.post("/keys", json={"name": "inspector", "type": "secret"}).json()["data"]
    with signed_in(server, made["secret"]) as browser:
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        with SseTap(f"{server.api_base}/inspector/live", headers={"Cookie": cookie}) as tap:
            assert tap.status == 200
            with api(server) as client:
                client.post("/tickets", json={"title": "Live one"}).raise_for_status()
                assert tap.wait(lambda t: any(m.event == "platform" for m in t.messages))
                assert client.delete(f"/keys/{made['id']}").status_code == 200
            assert tap.wait(lambda t: any(m.event == "ended" for m in t.messages))
            assert "revoked" in next(m.data for m in tap.messages if m.event == "ended")
        page = browser.get("/")
        assert page.status_code == 401 and "revoked" in page.text


def test_every_api_request_wakes_the_live_stream_but_its_own_reads_are_not_logged(
    server: PlatformThread,
) -> None:
    with signed_in(server) as browser:
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        with api(server) as client:
            before = client.get("/logs", params={"pageSize": 1}).json()["pagination"]["total"]
        for path in ("/", "/logs", "/game", "/webhooks", "/listen", "/clock"):
            assert browser.get(path).status_code == 200, path
        live = f"{server.api_base}/inspector/live"
        with SseTap(live, headers={"Cookie": cookie}) as tap, api(server) as client:
            client.get("/tickets").raise_for_status()
            assert tap.wait(lambda t: any(m.event == "log" for m in t.messages))
            after = client.get("/logs", params={"pageSize": 1}).json()["pagination"]["total"]
        assert after == before + 2  # the two GETs above, none of the pages' reads
