"""The catalogue walk (D47): every one of the 35 event types has a fixture, and the event it
makes happen reaches a webhook and a `cstar listen` session, signed, in the documented envelope.

One platform for the whole walk; before each type a reset (D33) clears it (webhooks included, so
the test subscribes a webhook to every type again, with its new secret). The `cstar listen`
process stays connected across resets, on every type (``--events '*'``), forwarding to its own
receiver. Each fixture runs through the real command, ``cstar trigger TYPE --fixture --json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from cstar_cli.client.signing import construct_event
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.wire import catalog
from tests.support.cli import CliFn
from tests.support.processes import start_cstar, stop
from tests.support.receivers import Received, Receiver
from tests.support.relay import ListenProcess, Target

ENVELOPE = {"id", "type", "created_at", "team_id", "livemode", "data"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@dataclass
class Walk:
    """The platform, the two receivers and the listen session every type is walked with."""

    target: Target
    hooks: Receiver
    forwarded: Receiver
    listen: ListenProcess

    @property
    def session_secret(self) -> str:
        return str(self.listen.ready["signingSecret"])

    @property
    def session_id(self) -> str:
        return str(self.listen.ready["sessionId"])

    def api(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        with self.target.client() as client:
            response = client.request(method, self.target.url(path), **kwargs)
        assert response.status_code < 300, response.text
        data: dict[str, Any] = response.json()["data"]
        return data


@pytest.fixture(scope="module")
def walk() -> Iterator[Walk]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as server, Receiver() as hooks, Receiver() as forwarded:
        target = Target(server.api_base, server.keys.team_id, server.keys.secret_key)
        process = ListenProcess(
            start_cstar(
                "listen",
                "--json",
                *target.login_options(),
                "--events",
                "*",
                "--forward-to",
                forwarded.url,
            )
        )
        process.start_readers()
        try:
            process.wait_for_line("ready")
            yield Walk(target, hooks, forwarded, process)
        finally:
            stop(process.proc)


def delivered(receiver: Receiver, event_ids: set[str]) -> Received:
    """The first request carrying one of ``event_ids`` (waits for it)."""
    [hit, *_] = receiver.matching(lambda r: r.event.get("id") in event_ids, timeout=10)
    return hit


def check_envelope(event: dict[str, Any], event_type: str, walk: Walk) -> None:
    assert set(event) == ENVELOPE, sorted(event)
    assert event["type"] == event_type
    assert event["id"].startswith("evt_")
    assert event["team_id"] == walk.target.team_id
    assert event["livemode"] is False
    assert ISO.match(event["created_at"]), event["created_at"]
    assert isinstance(event["data"], dict) and event["data"]


@pytest.mark.parametrize("event_type", catalog.EVENT_TYPES)
def test_every_event_type_has_a_fixture_that_delivers_it(
    walk: Walk, cli: CliFn, event_type: str
) -> None:
    reset = walk.api("POST", "/test-helpers/reset")
    assert reset["object"] == "reset"
    hook = walk.api(
        "POST", "/webhooks", json={"url": walk.hooks.url, "events": ["*"], "name": "walk"}
    )

    run = cli(*walk.target.login_options(), "trigger", event_type, "--fixture", "--json")

    assert run.exit_code == 0, run.output
    produced = run.json()["events"]
    mine = {e["id"] for e in produced if e["type"] == event_type}
    assert mine, f"the {event_type} fixture produced {[e['type'] for e in produced]}"

    to_hook = delivered(walk.hooks, mine)
    event = construct_event(to_hook.body, to_hook.headers["x-signature"], hook["secret"])
    assert to_hook.headers["x-webhook-id"] == hook["id"]
    assert to_hook.headers["x-event-type"] == event_type
    check_envelope(event, event_type, walk)

    to_listen = delivered(walk.forwarded, mine)
    forwarded = construct_event(
        to_listen.body, to_listen.headers["x-signature"], walk.session_secret
    )
    assert to_listen.headers["x-webhook-id"] == walk.session_id
    check_envelope(forwarded, event_type, walk)
    assert forwarded == event  # the same event, byte for byte in meaning, on both paths
    for event_id in mine:
        assert walk.api("GET", f"/events/{event_id}")["origin"] == "action"  # D39: a real write


def test_a_clock_fixture_refuses_an_environment_with_tickets(walk: Walk, cli: CliFn) -> None:
    walk.api("POST", "/test-helpers/reset")
    walk.api("POST", "/tickets", json={"title": "Already here"})
    clock = walk.api("GET", "/test-helpers/clock")

    refused = cli(*walk.target.login_options(), "trigger", "boss.spawned", "--fixture")

    assert refused.exit_code == 2, refused.output
    assert "moves the team clock 12 minutes forward" in refused.output
    assert "--yes" in refused.output
    assert walk.api("GET", "/test-helpers/clock")["offsetSeconds"] == clock["offsetSeconds"]
    with httpx.Client(headers={"Authorization": f"Bearer {walk.target.key}"}) as client:
        bosses = client.get(walk.target.url("/game/bosses")).json()["data"]
    assert bosses == []

    allowed = cli(*walk.target.login_options(), "trigger", "boss.spawned", "--fixture", "--yes")

    assert allowed.exit_code == 0, allowed.output
    assert "moves the team clock 12 minutes forward" in allowed.output
    assert walk.api("GET", "/test-helpers/clock")["offsetSeconds"] >= 720


def test_the_list_says_which_fixtures_move_the_clock(cli: CliFn) -> None:
    listed = {e["type"]: e for e in cli("trigger", "--list", "--json").json()}
    moving = {name for name, e in listed.items() if e["movesClock"]}
    assert moving == {"boss.spawned", "boss.damaged", "boss.defeated", "player.streak_milestone"}
    human = cli("trigger", "--list").stdout
    streak = next(line for line in human.splitlines() if "player.streak_milestone" in line)
    assert "moves the team clock 2 days forward" in streak
