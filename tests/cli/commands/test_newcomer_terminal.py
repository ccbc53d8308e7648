"""The newcomer's path on a pseudo-terminal, 80 and 60 columns wide: suggestions, Ctrl-C at a
prompt, `status` with the API down, the clock commands, and event types completed by the shell."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.cli import CliFn
from tests.support.platforms import platform_of_its_own
from tests.support.terminal import Terminal

ROOT = Path(__file__).resolve().parents[3]
COLUMNS = [80, 60]


def cstar(*args: str) -> list[str]:
    return [sys.executable, "-m", "cstar_cli", *args]


def run(argv: list[str], columns: int) -> tuple[int, str]:
    terminal = Terminal(argv, columns=columns, rows=60)
    try:
        code = terminal.wait()
    finally:
        terminal.close()
    return code, terminal.text


@pytest.fixture
def own(cli: CliFn) -> Iterator[PlatformThread]:
    """A platform of our own (the clock moves), logged in."""
    with platform_of_its_own(cli) as server:
        yield server


@pytest.mark.parametrize("columns", COLUMNS)
def test_suggestions_on_a_terminal(columns: int) -> None:
    code, text = run(cstar("tikets", "list"), columns)
    assert code == 2 and "Did you mean 'tickets'" in text
    code, text = run(cstar("logs", "tail"), columns)
    assert code == 2 and "cstar logs --tail" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_ctrl_c_at_a_confirmation_exits_130(own: PlatformThread, columns: int) -> None:
    terminal = Terminal(cstar("tickets", "delete", "tkt_" + "0" * 32), columns=columns)
    try:
        terminal.wait_for(r"Delete ticket tkt_0+\? \[y/N\]:")
        terminal.type("\x03")
        assert terminal.wait() == 130
    finally:
        terminal.close()
    assert "Interrupted." in terminal.text
    assert "Aborted" not in terminal.text and "Traceback" not in terminal.text


@pytest.mark.parametrize("columns", COLUMNS)
def test_status_with_the_api_down(own: PlatformThread, columns: int) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    code, text = run(cstar("status", "--api-base", base), columns)
    assert code == 5, text
    assert re.search(r"Profile\s+default", text) and "UNREACHABLE" in text
    assert "Could not reach the API" in text and "start `cstar dev`" in text


@pytest.mark.parametrize("columns", COLUMNS)
def test_the_clock_commands(own: PlatformThread, columns: int) -> None:
    code, text = run(cstar("clock", "advance", "90m"), columns)
    assert code == 0 and "Moved the test clock 1 h 30 min forward." in text
    assert "Test clock: 1 h 30 min ahead" in text
    code, text = run(cstar("status"), columns)
    assert code == 0 and re.search(r"Test clock\s+1 h 30 min ahead", text)
    code, text = run(cstar("clock", "reset"), columns)
    assert code == 0 and "back to real time" in text
    code, text = run(cstar("clock", "show"), columns)
    assert code == 0 and "Test clock: real time" in text


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[Terminal]:
    """An interactive bash with the committed completion script and this cstar on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "cstar"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cstar_cli "$@"\n')
    launcher.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PS1": "$ ",
        "HOME": str(tmp_path),
    }
    env["PYTHONPATH"] = str(ROOT)
    terminal = Terminal(["bash", "--norc", "--noprofile", "-i"], columns=80, env=env)
    try:
        script = ROOT / "completions" / "cstar.bash"
        terminal.type(
            f"bind 'set show-all-if-ambiguous on'; source {script}; echo $((6 * 7))READY\r"
        )
        terminal.wait_for(r"42READY")  # the output, not the echoed command line
        yield terminal
    finally:
        terminal.close()


def test_the_shell_completes_event_types(shell: Terminal) -> None:
    shell.type("cstar trigger ticket.cl\t")
    shell.wait_for(r"cstar trigger ticket\.closed")
    shell.type("\x15cstar events list --type bo\t")  # ^U clears the line first; Tab lists
    shell.wait_for(r"boss\.\*\s+boss\.damaged\s+boss\.defeated\s+boss\.spawned")  # sorted
    shell.type("\x15cstar listen --events ticket.created,boss.sp\t")
    shell.wait_for(r"cstar listen --events ticket\.created,boss\.spawned")
    shell.type("\x15exit\r")
