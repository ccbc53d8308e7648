"""Small things a newcomer reads: when a key expires in words, "an article", and fixture steps
in columns."""

from __future__ import annotations

import re

from tests.support.cli import CliFn
from tests.support.platforms import RunningPlatform


def test_keys_list_says_when_a_key_expires_in_words(cli: CliFn, logged_in: RunningPlatform) -> None:
    key = cli("keys", "create", "--name", "to roll", "--json").json()
    rolled = cli("keys", "roll", key["id"], "--expires-in", "1h", "--yes")
    assert rolled.exit_code == 0, rolled.output
    table = cli("keys", "list", "--page-size", "100").stdout
    row = next(line for line in table.splitlines() if line.startswith(key["id"]))
    assert "expires in 1 h" in row, row  # as the other tables say it ("in 15 min")
    assert not re.search(r"\d{4}-\d\d-\d\dT", table)  # no raw ISO timestamp
    shown = cli("keys", "get", key["id"]).stdout
    assert re.search(r"status\s+expires in 1 h", shown), shown
    as_json = cli("keys", "get", key["id"], "--json").json()
    assert as_json["status"] == f"expires {as_json['expiresAt']}"  # JSON keeps the timestamp


def test_help_says_an_article(cli: CliFn) -> None:
    articles = cli("articles", "--help").stdout
    assert "Create an article." in articles and "Delete an article" in articles
    assert "a article" not in articles
    assert "Create a ticket." in cli("tickets", "--help").stdout


def test_fixture_steps_are_aligned(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("trigger", "ticket.closed", "--fixture")
    assert run.exit_code == 0, run.output
    assert "(3 steps, test mode)" in run.stderr
    steps = [line for line in run.stderr.splitlines() if line.startswith("  → ")]
    assert len(steps) == 3, run.stderr
    columns = [
        [match.start() for match in re.finditer(r"(?<=  )\S", line)] for line in steps
    ]  # where each column after the first starts
    assert len({tuple(c[:4]) for c in columns}) == 1, steps  # method, path, status, id
    one = cli("trigger", "customer.created", "--fixture")
    assert "(1 step, test mode)" in one.stderr
