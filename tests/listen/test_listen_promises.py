"""`cstar listen` keeps its promises when the local endpoint misbehaves (D15).

Each test runs a real platform, real `cstar listen` processes and real receivers on sockets.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections import Counter
from collections.abc import Callable

import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.processes import run_cstar
from tests.support.raw_receivers import RawReceiver
from tests.support.receivers import Receiver
from tests.support.relay import ListenProcess, Target, fire
from tests.support.waiting import free_port

DOWN_SECONDS = 30  # longer than any retry budget the old relay had (~16 s)


def ids_in_order(receiver: Receiver) -> list[str]:
    return [r.headers["x-event-id"] for r in receiver.snapshot()]


def stored_order(target: Target, event_ids: list[str]) -> list[str]:
    """The platform's own order of these events (the order a session queues them in)."""
    with target.client() as client:
        listed = client.get(
            target.url("/events"), params={"sort": "createdAt", "pageSize": 100}
        ).json()["data"]
    wanted = set(event_ids)
    return [e["id"] for e in listed if e["id"] in wanted]


def of_type(process: ListenProcess, kind: str) -> list[dict[str, object]]:
    return [line for line in process.lines if line["type"] == kind]


def test_an_endpoint_down_for_30_seconds_gets_everything_once_in_order(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    port = free_port()
    process = listen(target, "-f", f"127.0.0.1:{port}/hooks", "--device-name", "down30")
    fired = fire(target, 5, workers=1)
    process.wait_for_line("held")
    stay_down = threading.Event()
    fired += fire(target, 5, workers=1)  # more arrive while it is down
    stay_down.wait(DOWN_SECONDS / 2)
    fired += fire(target, 5, workers=1)
    stay_down.wait(DOWN_SECONDS / 2)
    assert not of_type(process, "response")  # nothing was given up on meanwhile
    with Receiver().start_on(port) as receiver:
        process.wait_for(lambda lines: len(of_type(process, "response")) == 15)
        arrived = ids_in_order(receiver)
    assert arrived == stored_order(target, fired)  # every one, once, in order
    assert {r.headers["x-delivery-attempt"] for r in receiver.snapshot()} == {"1"}
    held = [line["held"] for line in of_type(process, "held")]
    assert held[0] >= 1 and held[-1] == 0  # counted up while down, then released
    assert max(held) == 15
    assert all(line["outcome"] == "delivered" for line in of_type(process, "response"))


def test_held_events_survive_a_listen_restart(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    port = free_port()
    first = listen(target, "-f", f"127.0.0.1:{port}/hooks", "--device-name", "restart")
    fired = fire(target, 4, workers=1)
    first.wait_for_line("held")
    assert first.stop(signal.SIGINT) == 130
    session = first.ready["sessionId"]
    assert server.platform.listen_store.pending(session[4:]) == 4  # nothing was acknowledged
    second = listen(target, "-f", f"127.0.0.1:{port}/hooks", "--device-name", "restart")
    assert second.ready["sessionId"] == session
    fired += fire(target, 3, workers=1)
    second.wait_for_line("held")
    with Receiver().start_on(port) as receiver:
        second.wait_for(lambda lines: len(of_type(second, "response")) == 7)
        arrived = ids_in_order(receiver)
    assert arrived == stored_order(target, fired)
    assert server.platform.listen_store.pending(session[4:]) == 0


def test_twenty_rapid_events_arrive_in_order_with_default_flags(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "order")
        fired = fire(target, 20, workers=4)
        receiver.wait_for(lambda rs: len(rs) == 20)
        process.wait_for(lambda lines: len(of_type(process, "response")) == 20)
        arrived = ids_in_order(receiver)
    assert len(set(fired)) == 20
    assert arrived == stored_order(target, fired)


def test_events_committed_together_are_shown_in_the_order_they_are_forwarded(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "together")
        with target.client() as client:
            answer = client.post(
                target.url("/webhooks/trigger-test"), json={"event": "ticket.created", "count": 10}
            )
        assert answer.status_code == 200, answer.text
        process.wait_for(lambda lines: len(of_type(process, "response")) == 10)
        arrived = ids_in_order(receiver)
    shown = [line["eventId"] for line in of_type(process, "event")]
    assert len(arrived) == 10
    assert shown == arrived


def test_each_5xx_is_reported_before_the_next_attempt_and_4xx_is_not_retried(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    seen_before: list[int] = []
    process: ListenProcess | None = None

    def flaky(request: object) -> int:
        assert process is not None
        seen_before.append(len(of_type(process, "response")))
        return 503 if len(seen_before) < 3 else 404

    with Receiver(respond=flaky) as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "flaky")
        [event_id] = fire(target, 1)
        process.wait_for(
            lambda lines: any(line.get("final") for line in of_type(process, "response"))
        )
        attempts = [r.headers["x-delivery-attempt"] for r in receiver.snapshot()]
    responses = of_type(process, "response")
    assert attempts == ["1", "2", "3"]  # the 404 ended it: not retried
    assert seen_before == [0, 1, 2]  # each answer was reported before the next attempt
    assert [(r["status"], r["attempt"], r["outcome"]) for r in responses] == [
        (503, 1, "retrying"),
        (503, 2, "retrying"),
        (404, 3, "rejected"),
    ]
    assert responses[0]["retryIn"] == 0.5 and responses[-1]["final"] is True
    deliveries = target.deliveries(event_id)
    assert [(d["attempt"], d["responseStatus"]) for d in deliveries] == [
        (1, 503),
        (2, 503),
        (3, 404),
    ]


def test_retries_run_out_and_the_failure_names_the_resend_command(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver(status=500) as receiver:
        process = listen(target, "-f", receiver.url, "--retries", "2", "--device-name", "fail")
        [event_id] = fire(target, 1)
        process.wait_for(
            lambda lines: any(line.get("final") for line in of_type(process, "response"))
        )
        assert len(receiver.snapshot()) == 3
    final = of_type(process, "response")[-1]
    session = process.ready["sessionId"]
    assert (final["status"], final["attempt"], final["outcome"]) == (500, 3, "failed")
    assert final["resendCommand"] == f"cstar events resend {event_id} --session {session}"
    deliveries = target.deliveries(event_id)
    assert [d["status"] for d in deliveries] == ["failed"] * 3
    assert {d["sessionId"] for d in deliveries} == {session}


def cut_short(conn: socket.socket) -> None:
    """A 200 that promises 100 bytes, sends 3 and hangs up."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")


def test_a_truncated_answer_is_not_a_success(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with RawReceiver(cut_short) as server:
        process = listen(target, "-f", server.url, "--retries", "1", "--device-name", "cut")
        [event_id] = fire(target, 1)
        process.wait_for(
            lambda lines: any(line.get("final") for line in of_type(process, "response"))
        )
    responses = of_type(process, "response")
    assert [(r["status"], r["outcome"]) for r in responses] == [
        (None, "retrying"),
        (None, "failed"),
    ]
    assert "cut short (3 of 100 bytes)" in str(responses[0]["error"])
    assert server.requests == 2
    assert {d["status"] for d in target.deliveries(event_id)} == {"failed"}


def test_two_routes_each_get_their_events_and_one_down_never_holds_back_the_other(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    catch_all_port = free_port()
    with Receiver() as game:
        routes = ["-f", f"boss.*,player.*={game.url}", "-f", f"127.0.0.1:{catch_all_port}/all"]
        routes += ["--device-name", "routes"]
        first = listen(target, *routes)
        assert [r["events"] for r in first.ready["routes"]] == [["boss.*", "player.*"], ["*"]]
        fired = fire(target, 3, "boss.spawned", workers=1) + fire(target, 2, "ticket.created")
        fired += fire(target, 1, "player.level_up")
        game.wait_for(lambda rs: len(rs) == 4)  # while the other target is down
        first.wait_for_line("held")
        game_events = ids_in_order(game)
        assert first.stop(signal.SIGINT) == 130
        second = listen(target, *routes)  # same routes: each resumes where it stopped
        with Receiver().start_on(catch_all_port) as catch_all:
            second.wait_for(lambda lines: len(of_type(second, "response")) == 6)
            everything = ids_in_order(catch_all)
        assert len(game.snapshot()) == 4  # nothing the game route answered was sent again
    boss_or_player = [e for e in fired if e.startswith(("evt_boss", "evt_player"))]
    assert game_events == stored_order(target, boss_or_player)
    assert everything == stored_order(target, fired)
    held = of_type(first, "held")
    assert {line["target"] for line in held} == {f"http://127.0.0.1:{catch_all_port}/all"}
    assert server.platform.listen_store.pending(first.ready["sessionId"][4:]) == 0


@pytest.mark.parametrize(
    "value",
    [
        "ht!tp:/bad",
        "htp:/bad",
        "ftp://example.com/x",
        "not a url",
        "99999",
        "localhost:0",
        "http://",
    ]
    + ["tickt.*=localhost:3000", "http://localhost:3000:4000/x"],
)
def test_bad_forward_to_values_exit_2_before_connecting(value: str) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"  # nothing listens: connecting would exit 5
    login = ["--api-base", unreachable, "--api-key", "sk_test_" + "a" * 32]
    result = run_cstar("listen", "--forward-to", value, *login)
    assert result.returncode == 2, result.stderr
    assert "--forward-to" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_takeover_is_announced_by_the_new_listener(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        old = listen(target, "-f", receiver.url, "--device-name", "shared")
        assert old.ready["tookOver"] is False
        new = listen(target, "-f", receiver.url, "--device-name", "shared")
        assert old.proc.wait(timeout=10) == 0
    assert new.ready["tookOver"] is True
    assert "Took over session" in "".join(new.stderr)
    assert "--device-name" in "".join(new.stderr)
    assert "took over this session" in "".join(old.stderr)


def test_resends_are_marked_and_count_delivery_attempts_on(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "resends")
        [event_id] = fire(target, 1)
        process.wait_for(lambda lines: len(of_type(process, "response")) == 1)
        for _ in range(2):
            count = len(of_type(process, "response")) + 1  # before the resend can answer
            target.resend(event_id, process.ready["sessionId"])
            process.wait_for(lambda lines, n=count: len(of_type(process, "response")) == n)
        attempts = [r.headers["x-delivery-attempt"] for r in receiver.snapshot()]
    assert attempts == ["1", "2", "3"]
    events = of_type(process, "event")
    assert [(e["resend"], e["attempt"]) for e in events] == [(False, 1), (True, 2), (True, 3)]


def hold_one_event(
    target: Target, listen: Callable[..., ListenProcess], device_name: str
) -> tuple[ListenProcess, str]:
    """A listener forwarding to a port nobody answers on, holding one event; and that event's id."""
    process = listen(target, "-f", f"127.0.0.1:{free_port()}/x", "--device-name", device_name)
    [event_id] = fire(target, 1)
    process.wait_for_line("held")
    return process, event_id


def test_resends_of_an_unanswered_event_are_numbered_after_the_attempt_still_pending(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    process, event_id = hold_one_event(target, listen, "unanswered")
    for _ in range(2):
        response = target.resend(event_id, process.ready["sessionId"])
        assert response.status_code == 200, response.text
    attempts = [d["attempt"] for d in target.deliveries(event_id)]
    assert sorted(attempts) == [1, 2, 3]


def test_an_event_held_for_a_session_shows_as_pending(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    process, event_id = hold_one_event(target, listen, "pending")
    [delivery] = target.deliveries(event_id)
    assert delivery["status"] == "pending"
    assert delivery["sessionId"] == process.ready["sessionId"]
    result = run_cstar("events", "get", event_id, *target.login_options())
    assert result.returncode == 0, result.stderr
    assert "pending" in result.stdout
    assert "queued for cstar listen" in result.stdout  # not "due": it waits for the listener
    assert "no webhook or listen session" not in result.stdout + result.stderr


def test_ctrl_c_says_what_it_waits_for_and_a_second_one_stops_at_once(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    release = threading.Event()

    def stuck(request: object) -> int:
        release.wait(60)
        return 200

    with Receiver(respond=stuck) as receiver:
        process = listen(target, "-f", receiver.url, "--timeout", "60", "--device-name", "stuck")
        fire(target, 2, workers=1)
        receiver.wait_for(lambda rs: len(rs) == 1)
        process.send(signal.SIGINT)
        process.wait_for_stderr("finishing 1 forward; Ctrl-C again to stop now")
        process.send(signal.SIGINT)
        code = process.proc.wait(timeout=10)
        release.set()
    assert code == 130
    assert not of_type(process, "response")  # it did not wait for the stuck forward
    assert server.platform.listen_store.pending(process.ready["sessionId"][4:]) == 2
    assert "Traceback" not in "".join(process.stderr)


def test_print_mode_shows_events_and_drains_nobody(
    server: PlatformThread, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        forwarder = listen(target, "-f", receiver.url, "--device-name", "desk")
        printer = listen(target, "--device-name", "desk", "--print-json")
        assert printer.ready["deviceName"] == "desk-print"
        assert printer.ready["mode"] == "print" and printer.ready["routes"] == []
        [event_id] = fire(target, 1, "ticket.created")
        printer.wait_for_line("event")
        receiver.wait_for(lambda rs: len(rs) == 1)
        forwarder.wait_for(lambda lines: len(of_type(forwarder, "response")) == 1)
    [shown] = of_type(printer, "event")
    assert shown["eventId"] == event_id
    assert isinstance(shown["payload"], dict) and shown["payload"]["id"] == event_id
    assert not of_type(printer, "response")
    assert server.platform.listen_store.pending(printer.ready["sessionId"][4:]) == 0
    deliveries = target.deliveries(event_id)
    assert [d["sessionId"] for d in deliveries] == [forwarder.ready["sessionId"]]
    assert Counter(ids_in_order(receiver)) == {event_id: 1}
