"""``cstar dev reset`` (D33): a local platform only, confirmed, and what was deleted is said."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cstar_cli.cli.commands.dev.reset import is_loopback
from cstar_cli.cli.context import Seams
from cstar_cli.platform.runner import PlatformThread
from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import platform_of_its_own


@pytest.fixture
def local(cli: CliFn) -> Iterator[PlatformThread]:
    """A platform of the test's own, the default profile logged in to it, with data in it."""
    with platform_of_its_own(cli) as server:
        for title in ("Printer on fire", "Paper jam"):
            assert cli("tickets", "create", "--title", title).exit_code == 0
        yield server


@pytest.mark.parametrize(
    ("api_base", "local_one"),
    [
        ("http://127.0.0.1:8642", True),
        ("http://127.8.9.10:1", True),
        ("http://[::1]:8642", True),
        ("http://LOCALHOST:8642/", True),
        ("http://0.0.0.0:8642", False),
        ("http://10.0.0.2:8642", False),
        ("https://www.cstar.help", False),
        ("http://localhost.example.com", False),
        ("not a url", False),
    ],
)
def test_only_this_machine_counts_as_local(api_base: str, local_one: bool) -> None:
    assert is_loopback(api_base) is local_one


def test_a_platform_elsewhere_is_refused_before_any_request(cli: CliFn) -> None:
    run = cli("dev", "reset", "--yes", "--api-base", "https://www.cstar.help")
    assert_clean_error(run, 2, "for a local platform only", "https://www.cstar.help")


def test_a_live_key_is_refused_before_any_request(cli: CliFn, local: PlatformThread) -> None:
    run = cli("dev", "reset", "--yes", "--api-key", local.keys.live_secret_key)
    assert_clean_error(run, 2, "live key", "sk_test_")
    assert "Printer on fire" in cli("tickets", "list").stdout  # nothing was deleted


def test_without_a_terminal_it_wants_yes(cli: CliFn, local: PlatformThread) -> None:
    run = cli("dev", "reset")
    assert_clean_error(run, 2, "--yes")
    assert "Printer on fire" in cli("tickets", "list").stdout


def test_on_a_terminal_it_asks_first(cli: CliFn, local: PlatformThread) -> None:
    terminal = Seams(stdin_isatty=lambda: True)
    declined = cli("dev", "reset", seams=terminal, input="n\n")
    assert declined.exit_code == 1 and "nothing was changed" in declined.stderr
    assert "Printer on fire" in cli("tickets", "list").stdout
    confirmed = cli("dev", "reset", seams=Seams(stdin_isatty=lambda: True), input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "Delete all test data" in confirmed.stderr
    assert "Nothing to show" in cli("tickets", "list").output


def test_it_says_what_was_deleted_and_the_key_still_works(
    cli: CliFn, local: PlatformThread
) -> None:
    run = cli("dev", "reset", "--yes")
    assert run.exit_code == 0, run.output
    assert "Reset the test environment" in run.stderr
    lines = dict(line.split() for line in run.stdout.splitlines()[1:])
    assert run.stdout.startswith("Deleted:") and lines["tickets"] == "2"
    assert "keys" not in lines and "members" not in lines  # nothing but the seed was there
    assert "your key still works" in run.stderr
    again = cli("dev", "reset", "--yes", "--json")
    assert again.exit_code == 0, again.output
    answer = again.json()
    assert answer["object"] == "reset" and answer["deleted"]["tickets"] == 0
    assert answer["deleted"]["requestLogs"] >= 1  # the first reset's entry, and what came after
