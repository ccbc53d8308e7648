"""Waiting on a condition (never on a fixed sleep), and a free port to start something on."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    probe: Callable[[], T], done: Callable[[T], bool], timeout: float = 10, every: float = 0.02
) -> T:
    """Call ``probe`` until ``done(result)``; fail with the last result after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met after {timeout} s; last: {result!r}")
        time.sleep(every)


def free_port() -> int:
    """A port nothing listens on right now (for a receiver that starts later, or never)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
