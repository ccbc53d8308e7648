"""Fixtures for platform tests that need their own platform (a fake clock, other limits)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings


@dataclass
class FakeClock:
    now: float = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class OwnPlatform:
    """A platform of the test's own on a real socket, with a fake clock."""

    server: PlatformThread
    clock: FakeClock

    def client(self, key: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.api_base,
            headers={"Authorization": f"Bearer {key or self.server.keys.secret_key}"},
            timeout=10,
        )

    def team(self, path: str = "") -> str:
        return f"/api/v1/teams/{self.server.keys.team_id}{path}"


@pytest.fixture
def own_platform() -> Iterator[Callable[..., OwnPlatform]]:
    started: list[PlatformThread] = []

    def start(**overrides: object) -> OwnPlatform:
        clock = FakeClock()
        options: dict[str, object] = {"db_path": ":memory:", "clock": clock, **overrides}
        server = PlatformThread(PlatformSettings(**options)).start()  # type: ignore[arg-type]
        started.append(server)
        return OwnPlatform(server, clock)

    yield start
    for server in started:
        server.stop()
