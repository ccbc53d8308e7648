"""`cstar listen` end to end: a real platform, a real listen process and a real receiver."""

from __future__ import annotations

import json
import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cstar_cli.client.signing import construct_event
from cstar_cli.platform.runner import PlatformThread
from tests.support.processes import run_cstar, start_cstar, stop
from tests.support.receivers import Receiver
from tests.support.relay import ListenProcess, Target, fire
from tests.support.waiting import eventually


def responded(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["type"] == "response"]


def event_ids(receiver: Receiver) -> Counter[str]:
    return Counter(r.headers["x-event-id"] for r in receiver.snapshot())


def test_events_arrive_signed_with_the_session_secret(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(
            target, "--forward-to", receiver.url, "-H", "X-Team: blue", "--device-name", "sig"
        )
        secret = process.ready["signingSecret"]
        assert secret.startswith("whsec_")
        assert process.ready["sessionId"].startswith("cls_")
        [event_id] = fire(target, 1, "boss.spawned")
        [delivery] = receiver.wait_for(lambda rs: len(rs) == 1)
        process.wait_for_line("response")
    event = construct_event(delivery.body, delivery.headers["x-signature"], secret)
    assert event["id"] == event_id == delivery.headers["x-event-id"]
    assert delivery.headers["x-webhook-id"] == process.ready["sessionId"]
    assert delivery.headers["user-agent"] == "cStar-Webhooks/1.0"
    assert delivery.headers["x-team"] == "blue"
    assert "x-cstar-signature" in delivery.headers
    kinds = [line["type"] for line in process.lines]
    assert kinds == ["ready", "event", "response"]
    assert process.lines[2]["status"] == 200


def test_bodies_are_forwarded_byte_for_byte_and_filters_apply(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        listen(target, "-f", receiver.url, "--events", "customer.*", "--no-legacy-signature")
        with target.client() as client:
            client.post(target.url("/tickets"), json={"title": "not for this listener"})
            client.post(
                target.url("/customers"), json={"name": "Zoë  \u00e9", "email": "z@example.com"}
            )
            stored = client.get(target.url("/events"), params={"type": "customer.created"}).json()
            client.post(target.url("/customers"), json={"name": "Last", "email": "l@example.com"})
        # In order: had the ticket's event been forwarded, it would have come first.
        delivery, last = receiver.wait_for(lambda rs: len(rs) == 2)
        assert json.loads(last.body)["data"]["customer"]["name"] == "Last"
    assert delivery.headers["x-event-type"] == "customer.created"
    assert "x-cstar-signature" not in delivery.headers
    listed = stored["data"][0]
    assert (listed.pop("origin"), listed.pop("replayOf")) == ("action", None)  # the API's (D39)
    assert json.loads(delivery.body) == listed


def test_2000_events_through_three_dropped_connections(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "drops")
        fired: list[str] = []
        for _ in range(4):
            fired += fire(target, 500)
            server.call(server.platform.listen_hub.disconnect_all())
        process.wait_for(lambda lines: len(responded(lines)) >= 2000, timeout=60)
        counts = event_ids(receiver)
    assert len(responded(process.lines)) == 2000  # a forward repeated would show here
    assert len(fired) == 2000
    assert set(counts) == set(fired)
    assert max(counts.values()) == 1, [e for e, n in counts.items() if n > 1][:5]
    assert sum("Reconnected" in line for line in process.stderr) >= 3


def test_paused_listener_loses_nothing(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "sleepy")
        process.send(signal.SIGSTOP)
        try:
            fired = fire(target, 200)  # all committed while the listener is frozen
        finally:
            process.send(signal.SIGCONT)
        process.wait_for(lambda lines: len(responded(lines)) >= 200, timeout=30)
        counts = event_ids(receiver)
    assert len(responded(process.lines)) == 200
    assert set(counts) == set(fired)
    assert max(counts.values()) == 1


def test_ctrl_c_exits_130_after_acknowledging(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver(delay=0.5) as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "ctrlc")
        fire(target, 3)
        receiver.wait_for(lambda rs: len(rs) >= 1)
        assert process.stop(signal.SIGINT) == 130
        received = {r.headers["x-event-id"] for r in receiver.snapshot()}
    taken = [line["eventId"] for line in process.lines if line["type"] == "event"]
    finished = [line["eventId"] for line in process.lines if line["type"] == "response"]
    # The forward on the wire at Ctrl-C was finished and acknowledged; the events not yet
    # forwarded wait on the platform for the next `cstar listen`.
    assert finished and set(finished) <= set(taken)
    assert received == set(finished)
    session = process.ready["sessionId"][4:]
    assert server.platform.listen_store.pending(session) == 3 - len(finished)
    assert "Traceback" not in "".join(process.stderr)


def test_resend_redelivers_to_the_session_and_acks_show_up_as_attempts(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "resend")
        [event_id] = fire(target, 1, "article.published")
        receiver.wait_for(lambda rs: len(rs) == 1)
        process.wait_for(lambda lines: sum(line["type"] == "response" for line in lines) == 1)
        resent = target.resend(event_id, process.ready["sessionId"])
        assert resent.json()["data"]["resentTo"] == 1
        receiver.wait_for(lambda rs: len(rs) == 2)

        def recorded() -> list[dict[str, Any]]:
            return [d for d in target.deliveries(event_id) if d["status"] != "pending"]

        attempts = eventually(recorded, lambda found: len(found) == 2)
    assert [r.headers["x-event-id"] for r in receiver.snapshot()] == [event_id, event_id]
    assert [a["sessionId"] for a in attempts] == [process.ready["sessionId"]] * 2
    assert {a["status"] for a in attempts} == {"succeeded"}
    assert attempts[0]["url"] == receiver.url


def test_same_device_name_takes_the_session_over(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        old = listen(target, "-f", receiver.url, "--device-name", "laptop")
        new = listen(target, "-f", receiver.url, "--device-name", "laptop")
        assert old.proc.wait(timeout=10) == 0
        assert "took over" in "".join(old.stderr)
        assert new.ready["sessionId"] == old.ready["sessionId"]
        assert new.ready["signingSecret"] == old.ready["signingSecret"]
        fire(target, 1)
        receiver.wait_for(lambda rs: len(rs) == 1)


def test_print_secret_is_stable_per_device(target: Target) -> None:
    def secret() -> str:
        print_secret = ["listen", "--print-secret", "--device-name", "ci"]
        result = run_cstar(*print_secret, *target.login_options())
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    first = secret()
    assert first.startswith("whsec_")
    assert secret() == first


def test_verbose_shows_listens_requests(target: Target) -> None:
    print_secret = ["-v", "listen", "--print-secret", "--device-name", "v"]
    result = run_cstar(*print_secret, *target.login_options())
    assert result.returncode == 0, result.stderr
    assert f"POST {target.url('/webhooks/listen')} → 201" in result.stderr


def test_platform_killed_and_restarted_mid_stream_loses_nothing(
    tmp_path: Path, listen: Callable[..., ListenProcess]
) -> None:
    db = tmp_path / "killed.db"

    def start_dev(port: int = 0) -> tuple[subprocess.Popen[str], dict[str, str]]:
        dev = ["dev", "--port", str(port), "--db", str(db), "--json", "--no-rate-limit"]
        proc = start_cstar(*dev, stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        return proc, json.loads(proc.stdout.readline())

    first, ready = start_dev()
    port = int(ready["apiBase"].rsplit(":", 1)[1])
    target = Target(ready["apiBase"], ready["teamId"], ready["secretKey"])
    second: subprocess.Popen[str] | None = None
    try:
        with Receiver() as receiver:
            process = listen(target, "-f", receiver.url, "--device-name", "kill")
            fired = fire(target, 300)
            first.kill()  # SIGKILL: no chance to flush or say goodbye
            first.wait(timeout=10)
            fired += fire(target, 20)  # refused while the platform is down: not acknowledged
            second, again = start_dev(port)
            assert again["teamId"] == ready["teamId"]
            fired += fire(target, 300)
            process.wait_for(
                lambda lines: {line["eventId"] for line in responded(lines)} >= set(fired),
                timeout=60,
            )
            counts = event_ids(receiver)
            assert len(counts) == sum(counts.values()) == len(responded(process.lines))
    finally:
        for proc in (first, second):
            if proc is not None:
                stop(proc)
    assert len(fired) == 600
    assert set(fired) <= set(counts)
    assert max(counts.values()) == 1
