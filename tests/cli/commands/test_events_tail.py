"""``cstar events --tail``: the realtime stream (D26) in the terminal, as a real process."""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Callable, Iterator

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.processes import login_options, run_cstar
from tests.support.streams import CliStream

Tail = Callable[..., CliStream]


@pytest.fixture
def server() -> Iterator[PlatformThread]:
    with PlatformThread(PlatformSettings(db_path=":memory:", enforce_rate_limits=False)) as p:
        yield p


@pytest.fixture
def tail(server: PlatformThread) -> Iterator[Tail]:
    started: list[CliStream] = []

    def start(*args: str, key: str | None = None) -> CliStream:
        login = login_options(server, key)
        stream = CliStream.start(["events", "--tail", *login, *args], ready="Tailing")
        started.append(stream)
        return stream

    yield start
    for stream in started:
        stream.stop()


def staff(server: PlatformThread, key: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {key or server.keys.secret_key}"},
        timeout=10,
    )


def test_json_lines_are_the_payloads_as_delivered_and_type_filters(
    server: PlatformThread, tail: Tail
) -> None:
    stream = tail("--json", "--type", "ticket.*", "-t", "customer.created")
    with staff(server) as api:
        ticket = api.post("/tickets", json={"title": "Printer on fire"}).json()["data"]
        api.post("/members", json={"name": "Zed", "email": "zed@tail.test"})
        api.post("/customers", json={"name": "Ada", "email": "ada@tail.test"})
        stream.wait_for(2)
        stored = api.get("/events", params={"type": "ticket.created"}).json()["data"][0]
    assert [line["type"] for line in stream.lines] == ["ticket.created", "customer.created"]
    assert "origin" not in stream.lines[0]  # the payload as delivered; the API adds it (D39)
    assert {**stream.lines[0], "origin": "action", "replayOf": None} == stored
    assert stream.lines[0]["data"]["ticket"]["id"] == ticket["id"]


def test_human_lines_show_time_type_id_and_object(server: PlatformThread, tail: Tail) -> None:
    stream = tail()
    with staff(server) as api:
        ticket = api.post("/tickets", json={"title": "x"}).json()["data"]
    stream.wait_for(1)
    line = stream.lines[0]
    assert "ticket.created" in line and "evt_ticket_created_" in line and ticket["id"] in line


def test_a_dropped_stream_resumes_without_losing_or_repeating_events(
    server: PlatformThread, tail: Tail
) -> None:
    stream = tail("--json")
    with staff(server) as api:
        for n in range(5):
            api.post("/tickets", json={"title": f"first {n}"})
        stream.wait_for(5)
        assert server.loop is not None
        server.loop.call_soon_threadsafe(server.platform.realtime.disconnect_all)
        for n in range(5):
            api.post("/tickets", json={"title": f"then {n}"})
    stream.wait_for(10)
    seen = Counter(line["id"] for line in stream.lines)
    assert len(seen) == 10 and set(seen.values()) == {1}
    stream.wait_stderr("Reconnected")


def test_after_replays_what_came_since_that_event(server: PlatformThread, tail: Tail) -> None:
    with staff(server) as api:
        for n in range(3):
            api.post("/tickets", json={"title": f"earlier {n}"})
        earlier = [e["id"] for e in reversed(api.get("/events").json()["data"])]
    stream = tail("--json", "--after", earlier[0])
    stream.wait_for(2)
    assert [line["id"] for line in stream.lines] == earlier[1:]


def test_a_revoked_key_stops_the_tail_with_exit_4(server: PlatformThread, tail: Tail) -> None:
    with staff(server) as api:
        made = api.post("/keys", json={"name": "tv", "type": "publishable"}).json()["data"]
        stream = tail(key=made["secret"])
        api.delete(f"/keys/{made['id']}")
    assert stream.proc.wait(timeout=10) == 4
    text = "".join(stream.stderr)
    assert "revoked" in text and "Traceback" not in text


def test_ctrl_c_exits_130_and_sigterm_0(tail: Tail) -> None:
    interrupted, terminated = tail(), tail()
    os.kill(interrupted.proc.pid, signal.SIGINT)
    os.kill(terminated.proc.pid, signal.SIGTERM)
    assert interrupted.proc.wait(timeout=10) == 130
    assert terminated.proc.wait(timeout=10) == 0
    assert "Traceback" not in "".join(interrupted.stderr + terminated.stderr)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--type", "tickets.*"], "tickets.*"),
        (["--after", "evt_x"], "--tail"),
        (["--tail", "list"], "without a subcommand"),
    ],
)
def test_bad_usage_exits_2(server: PlatformThread, args: list[str], needle: str) -> None:
    tail_option = ["--tail"] if args[0] == "--type" else []
    result = run_cstar("events", *args, *login_options(server), *tail_option)
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr
