"""The client's resources for what is not a collection: the test clock, request logs, the game,
listen sessions and inspector links — the same requests from the sync and the async client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx

from cstar_cli.client import AsyncCstarClient, CstarClient
from tests.support.platforms import RunningPlatform

KEY = "sk_test_" + "A" * 32
TEAM = "/api/v1/teams/team"
Sent = tuple[str, str, dict[str, str], Any]

# (what to call on the client, the request it makes: method, path, query, JSON body)
CALLS: list[tuple[Callable[[Any], Any], Sent]] = [
    (lambda c: c.clock.show(), ("GET", f"{TEAM}/test-helpers/clock", {}, None)),
    (
        lambda c: c.clock.advance(720),
        ("POST", f"{TEAM}/test-helpers/clock/advance", {}, {"seconds": 720}),
    ),
    (lambda c: c.clock.reset(), ("POST", f"{TEAM}/test-helpers/clock/reset", {}, None)),
    (
        lambda c: c.logs.list({"status": "4xx", "pageSize": "5"}),
        ("GET", f"{TEAM}/logs", {"status": "4xx", "pageSize": "5"}, None),
    ),
    (
        lambda c: c.game.leaderboard({"period": "week"}),
        ("GET", f"{TEAM}/game/leaderboard", {"period": "week"}, None),
    ),
    (
        lambda c: c.game.player("mem_1"),
        ("GET", f"{TEAM}/game/player", {"userId": "mem_1"}, None),
    ),
    (
        lambda c: c.game.achievements("mem_1"),
        ("GET", f"{TEAM}/game/achievements", {"userId": "mem_1"}, None),
    ),
    (
        lambda c: c.game.bosses({"status": "active"}),
        ("GET", f"{TEAM}/game/bosses", {"status": "active"}, None),
    ),
    (
        lambda c: c.listen_sessions.open({"deviceName": "laptop"}),
        ("POST", f"{TEAM}/webhooks/listen", {}, {"deviceName": "laptop"}),
    ),
    (lambda c: c.listen_sessions.list(), ("GET", f"{TEAM}/webhooks/listen/sessions", {}, None)),
    (
        lambda c: c.listen_sessions.end("ls_1"),
        ("DELETE", f"{TEAM}/webhooks/listen/ls_1", {}, None),
    ),
    (lambda c: c.game.quests(), ("GET", f"{TEAM}/game/quests", {}, None)),
    (
        lambda c: c.game.quests("mem_1"),
        ("GET", f"{TEAM}/game/quests", {"memberId": "mem_1"}, None),
    ),
    (
        lambda c: c.game.high_five("mem_1", "mem_2", "Thanks!"),
        (
            "POST",
            f"{TEAM}/game/social/high-fives",
            {},
            {"fromMemberId": "mem_1", "toMemberId": "mem_2", "message": "Thanks!"},
        ),
    ),
    (
        lambda c: c.game.one_up("mem_1", "mem_2", "tkt_1"),
        (
            "POST",
            f"{TEAM}/game/social/one-ups",
            {},
            {"fromMemberId": "mem_1", "toMemberId": "mem_2", "ticketId": "tkt_1"},
        ),
    ),
    (lambda c: c.preferences.team(), ("GET", f"{TEAM}/team/preferences", {}, None)),
    (
        lambda c: c.preferences.update_team({"timezone": "UTC"}),
        ("PATCH", f"{TEAM}/team/preferences", {}, {"timezone": "UTC"}),
    ),
    (
        lambda c: c.preferences.member("mem_1"),
        ("GET", f"{TEAM}/members/mem_1/preferences", {}, None),
    ),
    (
        lambda c: c.preferences.update_member("mem_1", {"theme": "dark"}),
        ("PATCH", f"{TEAM}/members/mem_1/preferences", {}, {"theme": "dark"}),
    ),
    (lambda c: c.inspector.link(), ("POST", f"{TEAM}/inspector/links", {}, None)),
    (
        lambda c: c.inspector.link("live"),
        ("POST", f"{TEAM}/inspector/links", {}, {"environment": "live"}),
    ),
]


def recorder() -> tuple[list[Sent], Callable[[httpx.Request], httpx.Response]]:
    sent: list[Sent] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        sent.append((request.method, request.url.path, dict(request.url.params), body))
        return httpx.Response(200, json={"success": True, "data": {"ok": True}, "meta": {}})

    return sent, handler


def test_each_call_makes_its_request_on_the_sync_client() -> None:
    sent, handler = recorder()
    with CstarClient(
        KEY, team_id="team", api_base="http://cstar.test", transport=httpx.MockTransport(handler)
    ) as client:
        for call, _ in CALLS:
            call(client)
        assert client.logs.stream_path() == f"{TEAM}/logs/stream"
    assert sent == [request for _, request in CALLS]


def test_the_async_client_makes_the_same_requests() -> None:
    sent, handler = recorder()

    async def scenario() -> None:
        async with AsyncCstarClient(
            KEY,
            team_id="team",
            api_base="http://cstar.test",
            transport=httpx.MockTransport(handler),
        ) as client:
            for call, _ in CALLS:
                await call(client)
            assert await client.logs.stream_path() == f"{TEAM}/logs/stream"

    asyncio.run(scenario())
    assert sent == [request for _, request in CALLS]


def test_the_answers_from_the_platform(platform: RunningPlatform) -> None:
    with CstarClient(platform.secret_key, api_base=platform.api_base) as cstar:
        assert "offsetSeconds" in cstar.clock.show()
        board = cstar.game.leaderboard({"period": "season"})
        assert isinstance(board.data, list) and board.pagination is not None
        assert isinstance(cstar.game.bosses().data, list)
        assert isinstance(cstar.listen_sessions.list().data, list)
        assert isinstance(cstar.logs.list({"pageSize": 1}).data, list)
