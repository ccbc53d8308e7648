"""`cstar listen` on a terminal 60 and 80 columns wide: the `-->`/`<--` lines fit it with the
ids whole, what is down (a target, the platform itself) is one line updated in place, and once
listen stops nothing is drawn again — the prompt gets a line of its own."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.processes import start_cstar, stop
from tests.support.receivers import Receiver
from tests.support.relay import ListenProcess, Target, fire
from tests.support.terminal import ANSI, Terminal
from tests.support.waiting import eventually, free_port

COLUMNS = [80, 60]


def listen_on_a_terminal(target: Target, columns: int, *args: str) -> Terminal:
    argv = [sys.executable, "-m", "cstar_cli", "listen", *target.login_options(), *args]
    return Terminal(argv, columns=columns, rows=60)


def status_drawings(terminal: Terminal) -> list[str]:
    """Every drawing of the updating line (each starts with a carriage return and erase)."""
    return [ANSI.sub("", text) for text in re.findall(r"\r\x1b\[2K([^\r\n]*)", terminal.raw)]


def screen_lines(terminal: Terminal) -> list[str]:
    """The lines as the terminal shows them: a line redrawn in place shows its last drawing."""
    return [line.rsplit("\r", 1)[-1] for line in terminal.text.replace("\r\n", "\n").split("\n")]


@pytest.mark.parametrize("columns", COLUMNS)
def test_event_lines_fit_the_terminal_with_ids_whole(target: Target, columns: int) -> None:
    with Receiver() as receiver:
        terminal = listen_on_a_terminal(target, columns, "-f", receiver.url, "--device-name", "w")
        try:
            terminal.wait_for(r"Ready!")
            fired = fire(target, 2, workers=1)
            terminal.wait_for(r"(?s)<-- \[200\].*<-- \[200\]")
        finally:
            terminal.close()
    relayed = [line for line in screen_lines(terminal) if re.search(r"-->|<--", line)]
    assert len(relayed) == 4, terminal.text
    assert all(len(line) <= columns for line in relayed), relayed
    for event_id in fired:
        assert sum(f"[{event_id}]" in line for line in relayed) == 2, relayed  # whole, twice


@pytest.mark.parametrize("columns", COLUMNS)
def test_after_ctrl_c_nothing_redraws_the_held_line(target: Target, columns: int) -> None:
    port = free_port()  # nothing listens there: events are held
    terminal = listen_on_a_terminal(target, columns, "-f", f"127.0.0.1:{port}/hooks")
    try:
        terminal.wait_for(r"Ready!")
        fire(target, 2, workers=1)
        terminal.wait_for(r"holding 2 events")
        terminal.type("\x03")
        assert terminal.wait() == 130
    finally:
        terminal.close()
    after = terminal.raw.split("Stopping", 1)[1]
    assert "holding" not in after, after  # not drawn again once stopping
    assert "Stopped after forwarding 0 event(s)" in after
    assert terminal.raw.endswith("\n")  # the prompt starts on a line of its own
    # the held line's drawings, without the terminal's own echo of Ctrl-C (^C) and the stop
    # message, which is printed after the line is erased and may wrap like any other line
    drawn = [
        text.removesuffix("^C")
        for text in status_drawings(terminal)
        if text and not text.startswith("Stopping")
    ]
    assert drawn and all(len(text) < columns for text in drawn), drawn  # never wraps


class Restartable:
    """A platform on a file database that stops and starts again on the same port."""

    def __init__(self, db: Path) -> None:
        self.db = str(db)
        self.server: PlatformThread | None = self._start(0)
        self.port = self.server.port

    def _start(self, port: int) -> PlatformThread:
        settings = PlatformSettings(db_path=self.db, enforce_rate_limits=False)
        return PlatformThread(settings, port=port).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def restart(self) -> None:
        self.server = self._start(self.port)


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    platform = Restartable(tmp_path / "cstar.db")
    yield platform
    platform.stop()


@pytest.mark.parametrize("columns", COLUMNS)
def test_while_the_platform_is_down_one_line_says_so(
    restartable: Restartable, columns: int
) -> None:
    server = restartable.server
    assert server is not None
    target = Target(server.api_base, server.keys.team_id, server.keys.secret_key)
    terminal = listen_on_a_terminal(target, columns, "--device-name", "tty")
    login = target.login_options()
    piped = ListenProcess(start_cstar("listen", "--json", *login, "--device-name", "log"))
    piped.start_readers()
    try:
        terminal.wait_for(r"Ready!")
        piped.wait_for_line("ready")
        restartable.stop()
        eventually(
            lambda: terminal.raw.count("Disconnected"),
            lambda tries: tries >= 4,
            timeout=60,
            explain=lambda tries: f"{tries} tries shown:\n{terminal.text[-2000:]}",
        )
        restartable.restart()
        terminal.wait_for(r"Reconnected")
        piped.wait_for_stderr("Reconnected")
        down = [line for line in screen_lines(terminal) if "Disconnected" in line]
        assert down == [], down  # the one line was updated in place, then cleared
        drawn = [text for text in status_drawings(terminal) if text]
        assert len(drawn) >= 4 and all(len(text) < columns for text in drawn), drawn
        said = "".join(piped.stderr)
        assert said.count("Disconnected") == 1, said  # a log file hears it once, and the end
        assert said.index("Disconnected") < said.index("Reconnected")
    finally:
        terminal.close()
        stop(piped.proc)
