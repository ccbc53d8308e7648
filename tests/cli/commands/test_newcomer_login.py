"""`cstar login` on a terminal finds the local platform: a real `cstar dev`, real prompts."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.terminal import Terminal


def closed_base() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def env(isolate: Path) -> dict[str, str]:
    """The test's CSTAR_HOME, and no stranger's platform on the default port to find."""
    return {**os.environ, "CSTAR_LOCAL_API_BASE": closed_base()}


@dataclass
class Dev:
    proc: subprocess.Popen[str]
    ready: dict[str, str]


@pytest.fixture
def dev(tmp_path: Path, env: dict[str, str]) -> Iterator[Dev]:
    """`cstar dev` in a subprocess, as a user runs it, with its own database."""
    argv = [sys.executable, "-m", "cstar_cli", "dev", "--port", "0", "--json"]
    argv += ["--db", str(tmp_path / "dev.db")]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    ready = json.loads(proc.stdout.readline())
    try:
        yield Dev(proc, ready)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)  # and close the pipes


def cstar(*args: str) -> list[str]:
    return [sys.executable, "-m", "cstar_cli", *args]


def announcements(home: Path) -> list[Path]:
    return sorted((home / "state").glob("dev-*.json"))


def test_cstar_dev_announces_itself_privately_and_withdraws_on_exit(
    dev: Dev, isolate: Path
) -> None:
    (path,) = announcements(isolate)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entry = json.loads(path.read_text())
    assert entry["apiBase"] == dev.ready["apiBase"] and entry["pid"] == dev.proc.pid
    assert set(entry) == {"apiBase", "pid", "startedAt", "db"}  # never a key
    dev.proc.send_signal(signal.SIGINT)
    assert dev.proc.wait(timeout=30) == 0
    assert announcements(isolate) == []


@pytest.mark.parametrize("columns", [80, 60])
def test_login_finds_the_running_platform_without_typing_its_url(
    dev: Dev, env: dict[str, str], columns: int
) -> None:
    terminal = Terminal(cstar("login"), columns=columns, env=env)
    try:
        terminal.wait_for(r"Found a local cStar platform")
        terminal.wait_for(r"Log in to it\? \[Y/n\]")
        terminal.type("\r")
        terminal.wait_for(r"seed test key \(sk_test_…\S{4}\)\? \[Y/n\]")
        terminal.type("\r")
        assert terminal.wait() == 0, terminal.text
        assert "Logged in to" in terminal.text
    finally:
        terminal.close()
    status = subprocess.run(cstar("status", "--json"), capture_output=True, text=True, env=env)
    assert json.loads(status.stdout)["apiBase"] == dev.ready["apiBase"], status.stderr


def test_several_platforms_are_listed_to_choose_from_and_stale_ones_ignored(
    dev: Dev, env: dict[str, str], isolate: Path
) -> None:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as other:
        state = isolate / "state"
        gone = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        stale = {"apiBase": "http://127.0.0.1:9", "pid": int(gone.stdout), "startedAt": None}
        (state / f"dev-{gone.stdout.strip()}.json").write_text(json.dumps(stale))
        mine = {"apiBase": other.api_base, "pid": os.getpid(), "startedAt": "2000-01-01T00:00Z"}
        (state / f"dev-{os.getpid()}.json").write_text(json.dumps(mine))
        terminal = Terminal(cstar("login"), columns=60, env=env)
        try:
            terminal.wait_for(r"Local cStar platforms running:")
            terminal.wait_for(r"3\. another API base")
            assert "127.0.0.1:9 " not in terminal.text
            screen = terminal.wait_for(r"(?s)1\. (\S+).*2\. (\S+).*Log in to \[1\]:")
            assert {screen.group(1), screen.group(2)} == {dev.ready["apiBase"], other.api_base}
            choice = "1" if screen.group(1) == other.api_base else "2"
            terminal.type(choice + "\r")
            terminal.wait_for(r"API key \(input hidden\):")  # a :memory: platform keeps no keys
            terminal.type(other.keys.secret_key + "\r")
            assert terminal.wait() == 0, terminal.text
        finally:
            terminal.close()
    assert not (state / f"dev-{gone.stdout.strip()}.json").exists(), "stale entries are tidied"


def test_without_a_local_platform_login_asks_for_the_api_base(env: dict[str, str]) -> None:
    terminal = Terminal(cstar("login"), columns=80, env=env)
    try:
        terminal.wait_for(r"API base \[https://www\.cstar\.help\]:")
        terminal.type("\x03")  # Ctrl-C at a prompt
        assert terminal.wait() == 130
        assert "Interrupted." in terminal.text and "Aborted" not in terminal.text
    finally:
        terminal.close()
