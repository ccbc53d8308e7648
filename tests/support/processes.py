"""``cstar`` in a process of its own, as a user runs it: run to the end, or started with pipes
and never left running behind the test."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from cstar_cli.platform.runner import PlatformThread

CSTAR = (sys.executable, "-m", "cstar_cli")
PIPE = subprocess.PIPE


def login_options(server: PlatformThread, key: str | None = None) -> list[str]:
    """The options that point a cstar command at ``server`` with ``key`` (its test secret key)."""
    return ["--api-base", server.api_base, "--api-key", key or server.keys.secret_key]


def run_cstar(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``cstar *args`` to the end; what it printed on stdout and stderr, and its exit code."""
    return subprocess.run([*CSTAR, *args], capture_output=True, text=True, timeout=timeout)


def start_cstar(
    *args: str, stdout: int | IO[Any] = PIPE, stderr: int | IO[Any] = PIPE
) -> subprocess.Popen[str]:
    """Start ``cstar *args`` with text pipes (by default) on stdout and stderr."""
    return subprocess.Popen([*CSTAR, *args], stdout=stdout, stderr=stderr, text=True)


def stop(proc: subprocess.Popen[str]) -> None:
    """Kill ``proc`` if it still runs, reap it and close its pipes."""
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


@contextmanager
def cstar_process(*args: str) -> Iterator[subprocess.Popen[str]]:
    """``cstar *args`` running for the ``with`` block (see :func:`start_cstar`), then stopped."""
    proc = start_cstar(*args)
    try:
        yield proc
    finally:
        stop(proc)


@contextmanager
def cstar_dev(*args: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    """Start ``cstar dev --json`` on a free port and yield the process and its ready line."""
    with cstar_process("dev", "--port", "0", "--json", *args) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "no output"
        yield proc, json.loads(line)


def cstar_dev_for_a_person() -> subprocess.CompletedProcess[str]:
    """``cstar dev`` as a person starts it (no --json, data in memory), stopped with Ctrl-C once
    its banner is out: everything it printed, and its exit code."""
    with cstar_process("dev", "--port", "0", "--db", ":memory:") as proc:
        assert proc.stdout is not None
        banner = ""
        for line in iter(proc.stdout.readline, ""):
            banner += line
            if line.startswith("Press Ctrl-C"):
                break
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    return subprocess.CompletedProcess(proc.args, proc.returncode, banner + out, err)
