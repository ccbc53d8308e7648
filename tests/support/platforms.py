"""Platforms on real sockets: the session's shared one, one of a test's own (with a fake clock),
and one with the default profile logged in to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import httpx

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.seed import SeedKeys
from cstar_cli.platform.settings import PlatformSettings
from tests.support.clocks import FakeClock

if TYPE_CHECKING:
    from tests.support.cli import CliFn


@dataclass(frozen=True, kw_only=True)
class RunningPlatform(SeedKeys):
    """A local platform served by uvicorn on 127.0.0.1 for the whole test session: its seed team
    and keys (``team_id``, ``secret_key``… as in :class:`SeedKeys`), its address and its server."""

    server: PlatformThread
    api_base: str

    @classmethod
    def serving(cls, server: PlatformThread) -> RunningPlatform:
        return cls(**asdict(server.keys), server=server, api_base=server.api_base)

    def team_url(self, path: str = "") -> str:
        return f"{self.api_base}/api/v1/teams/{self.team_id}{path}"

    def client(self, key: str | None = None, **kwargs: Any) -> httpx.Client:
        """A raw HTTP client for this platform, authenticated with ``key`` (default test secret)."""
        headers = {"Authorization": f"Bearer {key or self.secret_key}"}
        return httpx.Client(base_url=self.api_base, headers=headers, timeout=10, **kwargs)


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


Start = Callable[..., OwnPlatform]
"""The ``own_platform`` fixture: call it (with settings to override) for an :class:`OwnPlatform`."""


def data(response: httpx.Response, status: int = 200) -> Any:
    """The ``data`` of an API answer whose status is ``status``."""
    assert response.status_code == status, response.text
    return response.json()["data"]


@contextmanager
def platform_of_its_own(cli: CliFn | None = None) -> Iterator[PlatformThread]:
    """A fresh in-memory platform (for tests that move its clock or fill it), optionally with
    the default profile logged in to it."""
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as server:
        if cli is not None:
            run = cli("login", "--api-base", server.api_base, "--api-key", server.keys.secret_key)
            assert run.exit_code == 0, run.output
        yield server
