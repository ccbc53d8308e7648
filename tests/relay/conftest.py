"""Relay tests start real `cstar listen` processes (see :mod:`tests.support.relay`) against a
platform of their own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings
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
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cstar_cli",
                "listen",
                "--json",
                "--api-base",
                target.api_base,
                "--api-key",
                target.key,
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        process = ListenProcess(proc)
        process.start_readers()
        started.append(process)
        if wait_ready:
            process.wait_for(lambda lines: any(line["type"] == "ready" for line in lines))
        return process

    yield start
    for process in started:
        if process.proc.poll() is None:
            if process.proc.returncode is None:
                os.kill(process.proc.pid, signal.SIGCONT)
            process.proc.kill()
            process.proc.wait(timeout=10)
        for stream in (process.proc.stdout, process.proc.stderr):
            if stream is not None:
                stream.close()
