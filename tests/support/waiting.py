"""Waiting on a condition (never on a fixed sleep), and a free port to start something on."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    probe: Callable[[], T],
    done: Callable[[T], bool],
    timeout: float = 10,
    every: float = 0.02,
    *,
    explain: Callable[[T], str] | None = None,
    abandon: Callable[[], str | None] | None = None,
) -> T:
    """Call ``probe`` until ``done(result)``; fail with the last result after ``timeout``.

    ``explain(result)`` words that failure; ``abandon()`` returning a reason fails at once
    (the process being waited on has exited, say).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if done(result):
            return result
        reason = abandon() if abandon is not None else None
        if reason is None and time.monotonic() > deadline:
            reason = f"condition not met after {timeout} s"
        if reason is not None:
            detail = explain(result) if explain is not None else f"last: {result!r}"
            raise AssertionError(f"{reason}; {detail}")
        time.sleep(every)


def stderr_shows(
    stderr: list[str],
    text: str,
    timeout: float = 10,
    *,
    abandon: Callable[[], str | None] | None = None,
) -> None:
    """Wait until the lines a process wrote to stderr (read by a thread) contain ``text``."""
    eventually(
        lambda: "".join(stderr),
        lambda written: text in written,
        timeout,
        every=0.01,
        explain=lambda written: f"no {text!r} on stderr: {written[-2000:]}",
        abandon=abandon,
    )


def free_port() -> int:
    """A port nothing listens on right now (for a receiver that starts later, or never)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
