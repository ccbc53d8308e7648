"""``CstarClient.realtime()`` against a real platform: live events, resume after a drop, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cstar_cli.client import CstarClient
from cstar_cli.client.errors import AuthenticationError, ValidationError
from cstar_cli.client.realtime import RealtimeEvent
from tests.support.platforms import OwnPlatform

Start = Callable[..., OwnPlatform]


@pytest.fixture
def rt(own_platform: Start) -> OwnPlatform:
    return own_platform()


def client(p: OwnPlatform, key: str | None = None) -> CstarClient:
    return CstarClient(key or p.server.keys.secret_key, api_base=p.server.api_base)


def test_realtime_yields_events_and_resumes_after_a_drop_without_loss_or_repeats(
    rt: OwnPlatform,
) -> None:
    staff = client(rt)
    drops: list[str] = []

    def connected(count: int) -> None:
        if count == 1:  # the stream is open: make two events happen
            for n in range(2):
                staff.tickets.create({"title": f"before the drop {n}"})

    def disconnected(reason: str, retry_in: float) -> None:
        drops.append(reason)
        for n in range(2):  # while the stream is down
            staff.tickets.create({"title": f"during the drop {n}"})

    got: list[RealtimeEvent] = []
    with client(rt) as watcher:
        stream = watcher.realtime(
            events=["ticket.created"], on_connect=connected, on_disconnect=disconnected
        )
        for event in stream:
            got.append(event)
            if len(got) == 2:
                assert rt.server.loop is not None
                rt.server.loop.call_soon_threadsafe(rt.server.platform.realtime.disconnect_all)
            if len(got) == 4:
                break
    stored = [e["id"] for e in reversed(staff.request("GET", staff.team_path("events")).data)]
    staff.close()
    assert [e.id for e in got] == stored
    assert [e.data["ticket"]["title"] for e in got] == [
        "before the drop 0",
        "before the drop 1",
        "during the drop 0",
        "during the drop 1",
    ]
    assert stream.connections == 2 and len(drops) == 1
    assert stream.last_event_id == got[-1].id


def test_a_revoked_key_ends_the_iteration_with_the_typed_error(rt: OwnPlatform) -> None:
    with client(rt) as staff:
        made = staff.keys.create({"name": "watcher", "type": "publishable"})

        def revoke(count: int) -> None:
            staff.keys.revoke(made["id"])

        with client(rt, made["secret"]) as watcher, pytest.raises(AuthenticationError) as caught:
            for _ in watcher.realtime(on_connect=revoke):
                pass
    assert caught.value.code == "invalid_api_key"


def test_a_refused_stream_is_raised_not_retried(rt: OwnPlatform) -> None:
    with client(rt) as watcher, pytest.raises(ValidationError) as caught:
        next(iter(watcher.realtime(events=["nope.*"])))
    assert caught.value.param == "events"
