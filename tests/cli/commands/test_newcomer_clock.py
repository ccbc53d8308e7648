"""`cstar clock show|advance|reset` (D21) on a platform of its own (the shared one keeps real
time)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import platform_of_its_own
from tests.support.receivers import Receiver


@pytest.fixture
def own() -> Iterator[PlatformThread]:
    with platform_of_its_own() as server:
        yield server


def login(cli: CliFn, server: PlatformThread) -> None:
    run = cli("login", "--api-base", server.api_base, "--api-key", server.keys.secret_key)
    assert run.exit_code == 0, run.output


def test_advance_show_and_reset(cli: CliFn, own: PlatformThread) -> None:
    login(cli, own)
    assert cli("clock", "show", "--json").json()["offsetSeconds"] == 0
    moved = cli("clock", "advance", "15m")
    assert moved.exit_code == 0, moved.output
    assert "Moved the test clock 15 min forward." in moved.stderr
    assert "Test clock: 15 min ahead" in moved.stdout
    assert cli("clock", "advance", "2h", "--json").json()["offsetSeconds"] == 8100
    status = cli("status")
    assert "Test clock   2 h 15 min ahead (`cstar clock reset` sets it back)" in status.stdout
    back = cli("clock", "reset", "--json").json()
    assert back["offsetSeconds"] == 0 and back["advancedBy"] == -8100
    assert "Test clock" not in cli("status").stdout
    assert "Test clock: real time" in cli("clock", "show").stdout


def test_events_follow_the_moved_clock(cli: CliFn, own: PlatformThread) -> None:
    login(cli, own)
    before = cli("clock", "show", "--json").json()["now"]
    cli("clock", "advance", "1d")
    cli("trigger", "ticket.created")
    event = cli("events", "list", "--json").json()[0]
    assert event["created_at"][:10] > before[:10]
    cli("clock", "reset")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["clock", "advance", "soon"], 2, "'soon' is not a duration"),
        (["clock", "advance", "0"], 2, "more than 0"),
        (["clock", "advance", "400d"], 2, "at most 366 d"),
        (["clock"], 2, ""),
    ],
)
def test_bad_durations_are_usage_errors(
    cli: CliFn, own: PlatformThread, args: list[str], code: int, fragment: str
) -> None:
    login(cli, own)
    run = cli(*args)
    assert run.exit_code == code, run.output
    assert fragment in run.output


def test_a_live_key_is_refused_before_any_call(cli: CliFn, own: PlatformThread) -> None:
    run = cli("-v", "clock", "show", "--api-key", own.keys.live_secret_key)
    assert_clean_error(run, 2, "test mode only", "live key (sk_live_…")
    assert "→" not in run.stderr


def test_the_reset_route_is_for_test_secret_keys_only(own: PlatformThread) -> None:
    import httpx

    url = f"{own.api_base}/api/v1/teams/{own.keys.team_id}/test-helpers/clock/reset"
    for key in (own.keys.publishable_key, own.keys.live_secret_key):
        answer = httpx.post(url, headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 403, (key[:8], answer.text)
    ok = httpx.post(url, headers={"Authorization": f"Bearer {own.keys.secret_key}"})
    assert ok.status_code == 200 and ok.json()["data"]["offsetSeconds"] == 0


@pytest.mark.parametrize(
    "args",
    [["-5m"], ["--", "-5m"], ["-5m", "--json"], ["--json", "-90s"]],
    ids=["option-like", "after --", "json", "json first"],
)
def test_the_clock_only_moves_forward(cli: CliFn, own: PlatformThread, args: list[str]) -> None:
    login(cli, own)
    run = cli("clock", "advance", *args)
    assert_clean_error(run, 2, "The test clock only moves forward", "`cstar clock reset`")
    assert "No such option" not in run.output


def test_a_reset_clock_shows_a_plain_zero(cli: CliFn, own: PlatformThread) -> None:
    login(cli, own)
    assert cli("clock", "advance", "1h").exit_code == 0
    for run in (cli("clock", "reset", "--json"), cli("clock", "show", "--json")):
        assert '"offsetSeconds": 0,' in run.stdout, run.stdout  # not -0.0


def test_advancing_30s_sends_a_failed_webhooks_retry_before_it_returns(
    cli: CliFn, own: PlatformThread
) -> None:
    login(cli, own)
    answers = iter([500, 200])
    with Receiver(respond=lambda _: next(answers)) as receiver:
        made = cli("webhooks", "create", "--url", receiver.url, "--events", "ticket.*", "--json")
        assert made.exit_code == 0, made.output
        cli("trigger", "ticket.created")
        receiver.wait_for(lambda rs: len(rs) == 1)  # answered 500: the retry is due in 30 s
        moved = cli("clock", "advance", "30s")
        seen = receiver.snapshot()  # no waiting: the retry was sent before the command returned
    assert moved.exit_code == 0, moved.output
    assert [r.headers["x-delivery-attempt"] for r in seen] == ["1", "2"]
    cli("clock", "reset")


def test_since_counts_back_on_the_team_clock(cli: CliFn, own: PlatformThread) -> None:
    login(cli, own)
    early = cli("trigger", "customer.created", "--json").json()["eventId"]
    cli("tickets", "list")  # a request a day before the team's now, once the clock moves
    cli("clock", "advance", "1d")
    late = cli("trigger", "customer.created", "--json").json()["eventId"]
    recent = [e["id"] for e in cli("events", "list", "--since", "10m", "--json").json()]
    logged = [
        entry["path"]
        for entry in map(
            json.loads,
            cli("logs", "--since", "10m", "--json", "--limit", "100").stdout.splitlines(),
        )
    ]
    cli("clock", "reset")
    assert late in recent and early not in recent
    assert logged and not any(path.endswith("/tickets") for path in logged)
