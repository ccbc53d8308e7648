"""Tables a newcomer can copy from: whole ids at any width, names for members, deadlines in
words against the team's clock, aligned log rows. On a platform of its own (it moves the clock)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest

from cstar_cli.cli.columns import widths
from cstar_cli.platform.runner import PlatformThread
from tests.support.cli import CliFn
from tests.support.platforms import platform_of_its_own
from tests.support.terminal import Terminal

TICKET_ID = re.compile(r"tkt_[0-9a-f]{32}")
EVENT_ID = re.compile(r"evt_[a-z_]+_\d{13}_[A-Za-z0-9]{8}")


@pytest.fixture
def desk(cli: CliFn) -> Iterator[PlatformThread]:
    """A platform of our own, logged in, with an urgent ticket assigned to an agent."""
    with platform_of_its_own(cli) as server:
        agent = cli("members", "list", "--role", "agent", "--json").json()[0]
        for title in ("Checkout is down for every customer paying by card", "Printer on fire"):
            made = cli(
                "tickets",
                "create",
                "--title",
                title,
                "--priority",
                "urgent",
                "--assigned-to",
                agent["id"],
                "--customer-name",
                "Jane Doe",
            )
            assert made.exit_code == 0, made.output
        yield server


def test_layout_cuts_free_text_first_and_never_an_id() -> None:
    headers, fields = ["ID", "TITLE", "STATUS"], ["id", "title", "status"]
    rows = [["tkt_" + "a" * 32, "A rather long title about a printer on fire", "open"]]
    assert widths(headers, fields, rows, None) == [36, 43, 6]
    assert widths(headers, fields, rows, 70) == [36, 22, 6]  # 36 + 3 + 22 + 3 + 6
    assert widths(headers, fields, rows, 50) is None  # ids + a 10-cell title don't fit: records


def test_names_deadlines_in_words_and_absolute_times_in_json(
    cli: CliFn, desk: PlatformThread
) -> None:
    table = cli("tickets", "list")
    assert "Grace Hopper" in table.stdout and "mem_" not in table.stdout
    assert table.stdout.count("in 15 min") == 2, table.stdout
    data = cli("tickets", "list", "--json").json()[0]
    assert data["assignedTo"].startswith("mem_") and data["responseDeadline"].endswith("Z")
    cli("clock", "advance", "20m")
    assert cli("tickets", "list").stdout.count("5 min ago") == 2  # the team's clock, not ours
    shown = cli("tickets", "get", data["id"]).stdout
    assert re.search(r"responseDeadline\s+\S+Z \(5 min ago\)", shown)
    assert re.search(r"assignedTo\s+mem_[0-9a-f]{32} \(Grace Hopper\)", shown)


def test_member_names_come_from_a_cache_not_a_request_per_row(
    cli: CliFn, desk: PlatformThread
) -> None:
    def member_requests(*args: str) -> int:
        run = cli("-v", *args)
        assert run.exit_code == 0, run.output
        return len(re.findall(r"GET \S+/members\S* →", run.stderr))

    assert member_requests("tickets", "list") <= 1
    assert member_requests("tickets", "list") == 0  # cached in the profile
    new = cli(
        "members", "create", "--name", "Katherine Johnson", "--email", "kj@example.com", "--json"
    ).json()
    cli("tickets", "create", "--title", "Orbit", "--assigned-to", new["id"], "--json")
    assert member_requests("tickets", "list") == 1  # an unknown id refreshes the cache once
    assert "Katherine Johnson" in cli("tickets", "list").stdout


@pytest.mark.parametrize("columns", [80, 60])
def test_no_id_is_cut_in_tickets_and_events_lists_on_a_terminal(
    cli: CliFn, desk: PlatformThread, columns: int
) -> None:
    tickets = {t["id"] for t in cli("tickets", "list", "--json").json()}
    events = {e["id"] for e in cli("events", "list", "--json").json()}
    for args, ids, pattern in (
        (["tickets", "list"], tickets, TICKET_ID),
        (["events", "list"], events, EVENT_ID),
    ):
        terminal = Terminal([sys.executable, "-m", "cstar_cli", *args], columns=columns, rows=60)
        try:
            assert terminal.wait() == 0, terminal.text
        finally:
            terminal.close()
        screen = terminal.text
        assert "…" not in re.sub(r"(TITLE|CUSTOMER|ASSIGNED)\s.*", "", screen)
        assert set(pattern.findall(screen)) == ids, screen
        assert all(len(line) <= columns for line in screen.splitlines())
        for label in ("STATUS", "PRIORITY") if args[0] == "tickets" else ("TYPE", "OBJECT"):
            assert label in screen, f"{label} dropped at {columns} columns:\n{screen}"


def test_wide_shows_every_cell_whole(cli: CliFn, desk: PlatformThread) -> None:
    terminal = Terminal(
        [sys.executable, "-m", "cstar_cli", "tickets", "list", "--wide"], columns=80, rows=40
    )
    try:
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert "Checkout is down for every customer paying by card" in terminal.text
    assert "TITLE" in terminal.text.splitlines()[0]  # a table, however wide


def test_log_rows_line_up_whatever_the_path(cli: CliFn, desk: PlatformThread) -> None:
    lines = [line for line in cli("logs", "--limit", "10").stdout.splitlines() if "req_" in line]
    assert len(lines) >= 5
    starts = {line.index("req_") for line in lines}
    assert len(starts) == 1, lines
    assert len({len(line.split("req_")[1].split()[0]) for line in lines}) == 1
