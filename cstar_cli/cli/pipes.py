"""A reader that went away: ``cstar keys list --json | head -c1``, a ``jq`` that stops early.

Once whatever reads stdout (or stderr) closes it, the next write fails with EPIPE. That is not a
failure of cstar's and nothing is wrong to report: like git and gh, cstar stops, prints nothing
more, and exits 141 — the code a shell shows for a program stopped by SIGPIPE (128 + 13), so
``set -o pipefail`` sees the same thing for cstar as for them. ``docs/exit-codes.md`` says so.

The Printer (every write of cstar's own) raises :class:`OutputClosed`; a ``BrokenPipeError`` from
elsewhere (Click printing help) means the same. The stream that broke is pointed at /dev/null so
that what is still buffered in it does not make Python complain on its way out.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO


class OutputClosed(Exception):
    """The reader of stdout or stderr went away (EPIPE): stop quietly, exit 141."""


def closed_pipe(exc: BaseException) -> bool:
    """True for a write into a pipe whose reader is gone."""
    return isinstance(exc, OutputClosed | BrokenPipeError)


def silence(stream: TextIO) -> None:
    """Point ``stream``'s descriptor (stdout's or stderr's) at /dev/null: what is still buffered
    in it, or written later, goes nowhere instead of failing again."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a process stream (a test's buffer): nothing will flush it at exit
    if fd not in (1, 2):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def settle() -> bool:
    """Flush stdout and stderr before exiting; True if one of them has lost its reader (it is
    silenced, so Python's own last flush stays quiet)."""
    gone = False
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            gone = True
            silence(stream)
        except (OSError, ValueError):  # closed, or not a stream we can flush: leave it
            pass
    return gone
