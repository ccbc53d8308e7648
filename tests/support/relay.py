"""The relay harness: a real `cstar listen` process, and a way to fire many events."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.waiting import eventually, stderr_shows


@dataclass
class Target:
    """Where to reach a platform: API base, team and secret key."""

    api_base: str
    team_id: str
    key: str

    def url(self, path: str) -> str:
        return f"{self.api_base}/api/v1/teams/{self.team_id}{path}"

    def login_options(self) -> list[str]:
        """The options that point a cstar command at this platform with this key."""
        return ["--api-base", self.api_base, "--api-key", self.key]

    def client(self) -> httpx.Client:
        """A raw HTTP client authenticated with the secret key (give it full URLs: :meth:`url`)."""
        return httpx.Client(headers={"Authorization": f"Bearer {self.key}"}, timeout=10)

    def deliveries(self, event_id: str) -> list[dict[str, Any]]:
        """The delivery attempts the platform lists for ``event_id``."""
        with self.client() as client:
            data = client.get(self.url(f"/events/{event_id}")).json()["data"]
        return list(data["deliveries"])

    def resend(self, event_id: str, session_id: str) -> httpx.Response:
        """Ask the platform to send ``event_id`` again to the listen session ``session_id``."""
        with self.client() as client:
            return client.post(
                self.url(f"/events/{event_id}/resend"), json={"sessionId": session_id}
            )


@dataclass
class ListenProcess:
    """A running `cstar listen --json` whose stdout lines are collected in a thread."""

    proc: subprocess.Popen[str]
    lines: list[dict[str, Any]] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.strip():
                self.lines.append(json.loads(line))

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def start_readers(self) -> None:
        self.readers = [
            threading.Thread(target=self._pump, daemon=True),
            threading.Thread(target=self._pump_err, daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = 10
    ) -> None:
        eventually(
            lambda: self.lines,
            predicate,
            timeout,
            every=0.01,
            explain=lambda _: f"stderr: {''.join(self.stderr)[-2000:]}",
            abandon=self._exited,
        )

    def wait_for_line(self, kind: str, timeout: float = 10) -> None:
        """Wait until it has printed a line of ``kind`` (``ready``, ``held``, ``response``…)."""
        self.wait_for(lambda lines: any(line["type"] == kind for line in lines), timeout)

    def wait_for_stderr(self, text: str, timeout: float = 10) -> None:
        stderr_shows(self.stderr, text, timeout, abandon=self._exited)

    def _exited(self) -> str | None:
        code = self.proc.poll()
        return None if code is None else f"cstar listen exited {code}"

    @property
    def ready(self) -> dict[str, Any]:
        return next(line for line in self.lines if line["type"] == "ready")

    def send(self, sig: int) -> None:
        os.kill(self.proc.pid, sig)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        for reader in self.readers:
            reader.join(timeout=5)  # everything the process printed is read
        return code


def fire(target: Target, count: int, event: str = "ticket.created", workers: int = 4) -> list[str]:
    """Trigger ``count`` synthetic events; return the ids the platform acknowledged."""

    def batch(n: int) -> list[str]:
        ids: list[str] = []
        with target.client() as client:
            for _ in range(n):
                try:
                    response = client.post(
                        target.url("/webhooks/trigger-test"), json={"event": event}
                    )
                except httpx.HTTPError:
                    continue
                if response.status_code == 200:
                    ids.append(response.json()["data"]["eventId"])
        return ids

    share = [count // workers + (1 if i < count % workers else 0) for i in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [event_id for chunk in pool.map(batch, share) for event_id in chunk]
