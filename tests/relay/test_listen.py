"""`cstar listen` end to end: a real platform, a real listen process and a real receiver."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from cstar_cli.api.signing import construct_event
from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings
from tests.receiver import Receiver
from tests.relay.conftest import ListenProcess, Target, fire


@pytest.fixture
def server() -> Iterator[PlatformThread]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as running:
        yield running


@pytest.fixture
def target(server: PlatformThread) -> Target:
    return Target(server.api_base, server.keys.team_id, server.keys.secret_key)


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
        process.wait_for(lambda lines: any(line["type"] == "response" for line in lines))
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
        with httpx.Client(headers={"Authorization": f"Bearer {target.key}"}) as client:
            client.post(target.url("/tickets"), json={"title": "not for this listener"})
            client.post(
                target.url("/customers"), json={"name": "Zoë  \u00e9", "email": "z@example.com"}
            )
            stored = client.get(target.url("/events"), params={"type": "customer.created"}).json()
        [delivery] = receiver.wait_for(lambda rs: len(rs) == 1)
        time.sleep(0.2)
        assert len(receiver.snapshot()) == 1
    assert delivery.headers["x-event-type"] == "customer.created"
    assert "x-cstar-signature" not in delivery.headers
    assert json.loads(delivery.body) == stored["data"][0]


def test_not_a_url_is_a_usage_error(target: Target) -> None:
    for bad in ("ftp://example.com/x", "not a url", "99999", "http://"):
        result = subprocess.run(
            [sys.executable, "-m", "cstar_cli", "listen", "--forward-to", bad]
            + ["--api-base", target.api_base, "--api-key", target.key],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2, (bad, result.stderr)
        assert "forward" in result.stderr.lower() or "port" in result.stderr.lower()
        assert "Traceback" not in result.stderr


def test_2000_events_through_three_dropped_connections(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "drops")
        fired: list[str] = []
        for _ in range(4):
            fired += fire(target, 500)
            server.call(server.platform.relay.disconnect_all())
        receiver.wait_for(lambda rs: len({r.headers["x-event-id"] for r in rs}) >= 2000, timeout=60)
        time.sleep(0.3)
        counts = event_ids(receiver)
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
            fired = fire(target, 200)
            time.sleep(3)
        finally:
            process.send(signal.SIGCONT)
        receiver.wait_for(lambda rs: len(rs) >= 200, timeout=30)
        time.sleep(0.2)
        counts = event_ids(receiver)
    assert set(counts) == set(fired)
    assert max(counts.values()) == 1


def test_receiver_down_for_10_seconds_then_everything_arrives(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    first = Receiver().start()
    port = int(first.url.split(":")[2].split("/")[0])
    first.stop()
    process = listen(target, "-f", f"http://127.0.0.1:{port}/hooks", "--device-name", "down")
    fired = fire(target, 50)
    time.sleep(10)
    late = Receiver()
    late.start_on(port)
    try:
        late.wait_for(lambda rs: len({r.headers["x-event-id"] for r in rs}) >= 50, timeout=30)
        time.sleep(0.2)
        counts = event_ids(late)
    finally:
        late.stop()
    assert set(counts) == set(fired)
    assert max(counts.values()) == 1
    responses = [line for line in process.lines if line["type"] == "response"]
    assert all(line["status"] == 200 for line in responses)
    assert max(line["attempts"] for line in responses) > 1


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
    # Every event the CLI had started forwarding was finished and acknowledged; anything that
    # arrived after Ctrl-C is still waiting on the platform for the next `cstar listen`.
    assert sorted(finished) == sorted(taken)
    assert received == set(taken)
    session = process.ready["sessionId"][4:]
    assert server.platform.relay.pending(session) == 3 - len(taken)
    assert "Traceback" not in "".join(process.stderr)


def test_resend_redelivers_to_the_session_and_acks_show_up_as_attempts(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "resend")
        [event_id] = fire(target, 1, "article.published")
        receiver.wait_for(lambda rs: len(rs) == 1)
        process.wait_for(lambda lines: sum(line["type"] == "response" for line in lines) == 1)
        with httpx.Client(headers={"Authorization": f"Bearer {target.key}"}) as client:
            resent = client.post(
                target.url(f"/events/{event_id}/resend"),
                json={"sessionId": process.ready["sessionId"]},
            )
            assert resent.json()["data"]["resentTo"] == 1
            receiver.wait_for(lambda rs: len(rs) == 2)
            process.wait_for(lambda lines: sum(line["type"] == "response" for line in lines) == 2)
            time.sleep(0.2)
            attempts = client.get(target.url(f"/events/{event_id}")).json()["data"]["deliveries"]
    assert [r.headers["x-event-id"] for r in receiver.snapshot()] == [event_id, event_id]
    assert [a["sessionId"] for a in attempts] == [process.ready["sessionId"]] * 2
    assert {a["status"] for a in attempts} == {"succeeded"}
    assert attempts[0]["url"] == receiver.url


def test_a_failing_endpoint_is_retried_then_reported(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver(status=500) as receiver:
        process = listen(target, "-f", receiver.url, "--retries", "2", "--device-name", "fail")
        [event_id] = fire(target, 1)
        process.wait_for(
            lambda lines: any(line["type"] == "response" for line in lines), timeout=15
        )
        assert len(receiver.snapshot()) == 3
    response = next(line for line in process.lines if line["type"] == "response")
    assert (response["status"], response["attempts"]) == (500, 3)
    with httpx.Client(headers={"Authorization": f"Bearer {target.key}"}) as client:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            attempts = client.get(target.url(f"/events/{event_id}")).json()["data"]["deliveries"]
            if attempts:
                break
            time.sleep(0.05)
    assert attempts[0]["status"] == "failed"
    assert attempts[0]["responseStatus"] == 500


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
        result = subprocess.run(
            [sys.executable, "-m", "cstar_cli", "listen", "--print-secret", "--device-name", "ci"]
            + ["--api-base", target.api_base, "--api-key", target.key],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    first = secret()
    assert first.startswith("whsec_")
    assert secret() == first


def test_platform_killed_and_restarted_mid_stream_loses_nothing(
    tmp_path: Path, listen: Callable[..., ListenProcess]
) -> None:
    db = tmp_path / "killed.db"

    def start_dev(port: int = 0) -> tuple[subprocess.Popen[str], dict[str, str]]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cstar_cli", "dev", "--port", str(port), "--db", str(db)]
            + ["--json", "--no-rate-limit"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        return proc, json.loads(proc.stdout.readline())

    first, ready = start_dev()
    port = int(ready["apiBase"].rsplit(":", 1)[1])
    target = Target(ready["apiBase"], ready["teamId"], ready["secretKey"])
    second: subprocess.Popen[str] | None = None
    try:
        with Receiver() as receiver:
            listen(target, "-f", receiver.url, "--device-name", "kill")
            fired = fire(target, 300)
            first.kill()  # SIGKILL: no chance to flush or say goodbye
            first.wait(timeout=10)
            fired += fire(target, 20)  # refused while the platform is down: not acknowledged
            second, again = start_dev(port)
            assert again["teamId"] == ready["teamId"]
            fired += fire(target, 300)
            receiver.wait_for(
                lambda rs: {r.headers["x-event-id"] for r in rs} >= set(fired), timeout=60
            )
            time.sleep(0.3)
            counts = event_ids(receiver)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            if proc is not None and proc.stdout is not None:
                proc.stdout.close()
    assert len(fired) == 600
    assert set(fired) <= set(counts)
    assert max(counts.values()) == 1
