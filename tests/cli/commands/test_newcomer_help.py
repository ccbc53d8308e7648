"""Help and usage errors as a newcomer meets them: our words, close matches, nothing of Typer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from cstar_cli.main import COMMANDS, load_command
from tests.support.cli import CliFn, assert_clean_error, run_cli

FRAMEWORK = re.compile(
    r"<(?:str|int|float|bool|path|list\[[^\]]*\]|\w+ range|\w+(?:\|\w+)+)>"
    r"|\{[A-Z_]+\}|--install-completion|--show-completion"
)


def command_paths() -> Iterator[list[str]]:
    for name in COMMANDS:
        yield from _paths(load_command(name), [name])


def _paths(command: Any, path: list[str]) -> Iterator[list[str]]:
    yield path
    for sub_name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, [*path, sub_name])


def help_of(args: list[str]) -> str:
    run = run_cli(*args, "--help")
    assert run.exit_code == 0, (args, run.output)
    return run.stdout


def test_no_help_page_shows_the_framework() -> None:
    pages = {" ".join(path): help_of(path) for path in [[], *command_paths()]}
    leaks = {where: FRAMEWORK.findall(text) for where, text in pages.items()}
    assert not {where: found for where, found in leaks.items() if found}
    for where, text in pages.items():
        commands = text.split("Commands:", 1)[1] if "Commands:" in text else ""
        assert "..." not in commands.split("Getting started:")[0], (where, commands)


def test_root_help_has_a_getting_started_block() -> None:
    text = help_of([])
    assert "Getting started:" in text
    for line in ("cstar dev", "cstar login", "cstar clock advance 15m"):
        assert line in text.split("Getting started:")[1]


def test_a_command_shows_the_global_options_it_uses() -> None:
    login = help_of(["login"])
    assert "Global options" in login and "--api-key KEY" in login and "--api-base URL" in login
    assert "Global options" not in help_of(["dev"])


def test_required_options_are_marked_and_metavars_read_well() -> None:
    text = help_of(["tickets", "create"])
    assert re.search(r"--title TITLE\s+Ticket title\.\s+\[required\]", text)
    assert "--priority low|normal|high|urgent" in text
    assert "-d, --data KEY=VALUE" in text
    assert re.search(r"--limit N .*default: 20;\s+1\s+to\s+100\]", help_of(["logs"]))
    assert "Usage: cstar events get [OPTIONS] EVENT_ID\n" in help_of(["events", "get"])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["tikets", "list"], "No such command 'tikets'. Did you mean 'tickets'"),
        (["tickets", "lst"], "Did you mean 'list'?"),
        (["tickets", "list", "--stauts", "x"], "No such option --stauts. Did you mean '--status'"),
        (["--profle", "x", "status"], "Did you mean '--profile'?"),
        (["logs", "tail"], "There is no `cstar logs tail`; use `cstar logs --tail`."),
        (["webhooks", "listen"], "use `cstar listen`"),
        (["-p", "work", "logs", "tail", "--json"], "use `cstar logs --tail`"),
        (["version"], "use `cstar --version`"),
    ],
)
def test_unknown_commands_and_habits_get_a_pointer(
    cli: CliFn, args: list[str], fragment: str
) -> None:
    assert_clean_error(cli(*args), 2, fragment)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["tickets", "list", "--priority", "urgnet"],
            "--priority 'urgnet' is not one of low, normal, high, urgent. Did you mean 'urgent'?",
        ),
        (["tickets", "create", "--status", "opne"], "Did you mean 'open'?"),
        (["tickets", "list", "--page-size", "500"], "--page-size 500 is out of range"),
        (["tickets", "list", "--page", "abc"], "--page wants a whole number, not 'abc'."),
        (["logs", "--limit", "0"], "--limit 0 is out of range: use 1 to 100."),
        (["--color", "sometimes", "status"], "--color 'sometimes' is not one of auto, always"),
    ],
)
def test_bad_values_are_said_in_our_words(cli: CliFn, args: list[str], fragment: str) -> None:
    run = cli(*args)
    assert_clean_error(run, 2, fragment)
    for framework in ("Value error", "Input should", "Invalid value for"):
        assert framework not in run.stderr
