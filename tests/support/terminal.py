"""A command on a pseudo-terminal: what a person at a terminal of a given size would see."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _take_terminal() -> None:  # runs in the child, after setsid: the pty becomes its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """Runs ``argv`` on a pty ``columns`` wide; collects its output, types keys into it."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        columns: int = 80,
        rows: int = 24,
        env: dict[str, str] | None = None,
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = dict(env if env is not None else os.environ)
        environment.update(COLUMNS=str(columns), LINES=str(rows), TERM="xterm-256color")
        environment.pop("NO_COLOR", None)
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self._master = master
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._chunks.append(data)

    @property
    def raw(self) -> str:
        """Everything drawn so far, escape sequences included."""
        with self._lock:
            return b"".join(self._chunks).decode("utf-8", "replace")

    @property
    def text(self) -> str:
        """What was drawn, without escape sequences."""
        return ANSI.sub("", self.raw)

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match[str]:
        """Wait until the plain text matches ``pattern`` (a regex); fail showing the screen."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.text)
            if match:
                return match
            if self.proc.poll() is not None:
                self._reader.join(timeout=2)
                match = re.search(pattern, self.text)
                if match:
                    return match
                raise AssertionError(
                    f"exited {self.proc.returncode} before /{pattern}/:\n{self.text}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"no /{pattern}/ after {timeout} s:\n{self.text[-3000:]}")
            time.sleep(0.02)

    def type(self, keys: str) -> None:
        """Type into the terminal (``"\\x03"`` is Ctrl-C, delivered by the tty as SIGINT)."""
        os.write(self._master, keys.encode())

    def wait(self, timeout: float = 30) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=2)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._reader.join(timeout=2)
        os.close(self._master)
