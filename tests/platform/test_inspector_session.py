"""D48 over real sockets: the inspector's credential stays with its page. No route that reads
or changes data answers a cookie, or nothing; the session token never lands in a log; it ends
with the key that minted it (D28) and after 12 hours."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from cstar_cli.platform.inspector import actions, pages
from cstar_cli.platform.logs.log import redact_query
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.clocks import FakeClock
from tests.support.inspector import (
    HEADER,
    inspector_client,
    link_token,
    new_link,
    session_token,
    team_api,
)
from tests.support.platforms import platform_of_its_own
from tests.support.sse import SseTap

HOURS = 3600


@pytest.fixture(scope="module")
def server() -> Iterator[PlatformThread]:
    with platform_of_its_own() as platform:
        yield platform


def routes() -> list[tuple[str, str]]:
    """Every inspector route that reads or changes data: ``(method, path template)``."""
    found = []
    for route in [*pages.router.routes, *actions.router.routes]:
        assert isinstance(route, Route)
        if route.endpoint is pages.shell:
            continue
        found += [
            (method, route.path) for method in sorted(route.methods or ()) if method != "HEAD"
        ]
    return found


def test_no_route_that_reads_or_changes_data_answers_a_cookie_or_nothing(
    server: PlatformThread,
) -> None:
    with team_api(server) as client:
        ticket = client.post("/tickets", json={"title": "Secret plans"}).json()["data"]
        event = client.get("/events", params={"pageSize": 1}).json()["data"][0]
    token = session_token(new_link(server))
    # a replayed cookie — even one holding a live session token under any name — opens nothing
    jar = {f"cstar_inspector_{server.port}": token, "cstar_inspector": token, "session": token}
    fill = {
        "{eventId}": event["id"],
        "{ticketId}": ticket["id"],
        "{path:path}": "test-helpers/clock/advance",
    }
    walked = routes()
    assert len(walked) >= 12  # 8 views, the live stream, call, logout, session
    for method, template in walked:
        path = template
        for name, value in fill.items():
            path = path.replace(name, value)
        for cookies in ({}, jar):
            with httpx.Client(base_url=server.api_base, cookies=cookies, timeout=10) as browser:
                body: dict[str, Any] = {"seconds": 86400} if method == "POST" else {}
                same_origin = {"Origin": server.api_base}
                answer = browser.request(method, path, json=body or None, headers=same_origin)
            assert answer.status_code == 401, (method, path, cookies, answer.text)
            for secret in ("Secret plans", event["id"], server.keys.team_id, "Local Dev Team"):
                assert secret not in answer.text, (method, path)
    # a token in the query works for the live stream only (EventSource sends no headers)
    refused = httpx.get(f"{server.api_base}/inspector/view/?token={token}", timeout=10)
    assert refused.status_code == 401
    with team_api(server) as client:
        assert client.get("/test-helpers/clock").json()["data"]["offsetSeconds"] == 0
    with httpx.Client(base_url=server.api_base, headers={HEADER: token}, timeout=10) as page:
        assert "Secret plans" in page.get(f"/inspector/view/tickets/{ticket['id']}").text


def test_the_session_token_never_lands_in_a_log(
    server: PlatformThread, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    link = new_link(server)
    with inspector_client(link) as page:
        token = page.headers[HEADER]
        live = f"{server.api_base}/inspector/live"
        with SseTap(live, params={"token": token}) as tap, team_api(server) as client:
            assert tap.status == 200
            page.post("/inspector/call/test-helpers/clock/reset").raise_for_status()
            page.get("/inspector/view/logs").raise_for_status()
            # were it sent to an API route, the request log would redact it like a key
            stream = client.get("/realtime", params={"token": token, "events": "nothing.*"})
            assert stream.status_code in (400, 200)
            assert tap.wait(lambda t: any(m.event == "log" for m in t.messages))
            logged = client.get("/logs", params={"pageSize": 100}).text
    assert "token=redacted" in logged
    assert token not in logged and link_token(link) not in logged
    # everything the process logged, but for this test's own HTTP client
    platform_logs = "\n".join(
        f"{record.name} {record.getMessage()}"
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )
    assert token not in platform_logs and link_token(link) not in platform_logs
    assert redact_query(f"events=a&token={token}") == "events=a&token=redacted"


def test_revoking_the_key_ends_its_sessions_and_their_live_streams(
    server: PlatformThread,
) -> None:
    with team_api(server) as client:
        made = client.post("/keys", json={"name": "inspector", "type": "secret"}).json()["data"]
    with inspector_client(new_link(server, made["secret"])) as page:
        token = page.headers[HEADER]
        live = f"{server.api_base}/inspector/live"
        with SseTap(live, params={"token": token}) as tap:
            assert tap.status == 200
            with team_api(server) as client:
                client.post("/tickets", json={"title": "Live one"}).raise_for_status()
                assert tap.wait(lambda t: any(m.event == "platform" for m in t.messages))
                assert client.delete(f"/keys/{made['id']}").status_code == 200
            assert tap.wait(lambda t: any(m.event == "ended" for m in t.messages))
            assert "revoked" in next(m.data for m in tap.messages if m.event == "ended")
        view = page.get("/inspector/view/")
        assert view.status_code == 401 and "revoked" in view.json()["error"]["message"]
        assert page.post("/inspector/call/test-helpers/clock/reset").status_code == 401
        assert httpx.get(live, params={"token": token}, timeout=10).status_code == 401


def test_a_session_ends_after_12_hours_of_real_time() -> None:
    clock = FakeClock()
    settings = PlatformSettings(
        db_path=":memory:", enforce_rate_limits=False, clock=clock, realtime_heartbeat=0.05
    )
    with PlatformThread(settings) as server, team_api(server) as client:
        link: str = client.post("/inspector/links").json()["data"]["url"]
        with inspector_client(link) as page:
            client.post("/test-helpers/clock/advance", json={"seconds": 13 * HOURS})
            assert page.get("/inspector/view/").status_code == 200  # the team clock counts not
            clock.advance(12 * HOURS - 1)
            assert page.get("/inspector/view/").status_code == 200
            live = f"{server.api_base}/inspector/live"
            with SseTap(live, params={"token": page.headers[HEADER]}) as tap:
                assert tap.status == 200
                clock.advance(1)
                assert tap.wait(lambda t: any(m.event == "ended" for m in t.messages))
            view = page.get("/inspector/view/")
            assert view.status_code == 401 and "12 hours" in view.json()["error"]["message"]
