"""Errors that help a newcomer: the local form of every login hint, no placeholders, no repeated
hints, fixture overrides refused before any request, and `status` when the API is down."""

from __future__ import annotations

import socket

from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import RunningPlatform

LOCAL_FORM = "--api-base http://127.0.0.1:8642 --api-key sk_test_…"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_not_logged_in_hints_show_the_local_platform_too(cli: CliFn) -> None:
    assert_clean_error(cli("tickets", "list"), 4, "finds a running `cstar dev`", LOCAL_FORM)
    assert_clean_error(cli("-p", "work", "tickets", "list"), 4, "cstar login --profile work")
    assert_clean_error(cli("status"), 4, LOCAL_FORM)


def test_a_missing_event_names_the_events_list_not_a_placeholder(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    run = cli("events", "resend", "evt_nope")
    assert_clean_error(run, 1, "`cstar events list` shows what exists")
    assert "<resource>" not in run.stderr


def test_trigger_with_a_pattern_lists_the_types_instead_of_suggesting_the_pattern(
    cli: CliFn,
) -> None:
    run = cli("trigger", "ticket.*")
    assert_clean_error(run, 2, "not a pattern ('ticket.*')", "ticket.created, ticket.updated")
    assert "Did you mean" not in run.stderr


def test_a_hint_is_never_said_twice(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("listen", "--events", "tiket.*")
    assert_clean_error(run, 2, "Did you mean 'ticket.*'?")
    assert run.stderr.count("trigger --list") == 1, run.stderr


def test_fixture_overrides_are_checked_before_the_first_request(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    field = cli(
        "-v", "trigger", "ticket.closed", "--fixture", "--override", "ticket.priorty=urgent"
    )
    assert_clean_error(field, 2, "POST /tickets takes no field 'priorty'. Did you mean 'priority'?")
    value = cli(
        "-v", "trigger", "ticket.closed", "--fixture", "--override", "ticket.priority=urgnet"
    )
    assert_clean_error(value, 2, "priority 'urgnet' is not one of", "Did you mean 'urgent'?")
    for run in (field, value):
        assert "→" not in run.stderr, "no request may be sent"  # -v logs every request


def test_status_with_the_api_down_shows_the_profile_and_exits_5(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    run = cli("status", "--api-base", base)
    assert_clean_error(run, 5, f"Could not reach the API at {base}")
    assert "Profile" in run.stdout and base in run.stdout
    assert "UNREACHABLE" in run.stdout and "sk_test_…" in run.stdout
    down = cli("status", "--api-base", base, "--json")
    assert_clean_error(down, 5)
    assert down.stdout == ""


def test_status_when_not_logged_in_still_shows_where_it_points(cli: CliFn) -> None:
    run = cli("status")
    assert_clean_error(run, 4, "Not logged in")
    assert "https://www.cstar.help (default)" in run.stdout
    assert "not checked (no key)" in run.stdout
