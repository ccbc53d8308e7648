"""A streaming ``cstar`` command (``logs --tail``, ``events --tail``) run as a real process.

stream = CliStream.start([..., "events", "--tail", "--json"], ready="Tailing")
stream.wait_for(3)          # three JSON lines on stdout
stream.stop()               # kill if still running, close the pipes
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.processes import start_cstar, stop
from tests.support.waiting import eventually, stderr_shows


@dataclass
class CliStream:
    proc: subprocess.Popen[str]
    lines: list[Any] = field(default_factory=list)
    """stdout, one item per line: parsed JSON, or the text when the line is not JSON."""
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    @classmethod
    def start(cls, args: list[str], *, ready: str, timeout: float = 10) -> CliStream:
        """Run ``python -m cstar_cli *args`` and wait until stderr shows ``ready``."""
        proc = start_cstar(*args)
        stream = cls(proc)
        stream.readers = [
            threading.Thread(target=stream._out, daemon=True),
            threading.Thread(target=stream._err, daemon=True),
        ]
        for reader in stream.readers:
            reader.start()
        deadline = time.monotonic() + timeout
        while not any(ready in line for line in stream.stderr):
            if proc.poll() is not None:
                for reader in stream.readers:  # they end at the pipes' end: all output is in
                    reader.join(timeout=5)
                raise AssertionError("".join(stream.stderr))
            assert time.monotonic() < deadline, "the stream never became ready"
            time.sleep(0.01)
        return stream

    def _out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                self.lines.append(line.rstrip("\n"))

    def _err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def wait_for(self, count: int, timeout: float = 10) -> None:
        eventually(
            lambda: len(self.lines),
            lambda got: got >= count,
            timeout,
            every=0.01,
            explain=lambda got: f"got {got} lines; {''.join(self.stderr)}",
        )

    def wait_stderr(self, text: str, timeout: float = 10) -> None:
        stderr_shows(self.stderr, text, timeout)

    def stop(self) -> None:
        stop(self.proc)
