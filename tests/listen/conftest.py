"""Relay tests start real `cstar listen` processes (see :mod:`tests.support.relay`) against a
platform of their own."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.processes import start_cstar, stop
from tests.support.projects import Project, in_project
from tests.support.relay import ListenProcess, Target


@pytest.fixture
def server() -> Iterator[PlatformThread]:
    """A fresh in-memory platform for the test, rate limits off."""
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as running:
        yield running


@pytest.fixture
def target(server: PlatformThread) -> Target:
    return Target(server.api_base, server.keys.team_id, server.keys.secret_key)


@pytest.fixture
def listen() -> Iterator[Callable[..., ListenProcess]]:
    started: list[ListenProcess] = []

    def start(target: Target, *args: str, wait_ready: bool = True) -> ListenProcess:
        process = ListenProcess(start_cstar("listen", "--json", *target.login_options(), *args))
        process.start_readers()
        started.append(process)
        if wait_ready:
            process.wait_for_line("ready")
        return process

    yield start
    for process in started:
        if process.proc.poll() is None:
            process.send(signal.SIGCONT)  # a test may have left it stopped
        stop(process.proc)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """``project(text)``: :func:`~tests.support.projects.in_project` in this test's folder."""
    return lambda text: in_project(tmp_path, monkeypatch, text)
