"""Shared fixtures: every test is isolated; wire tests talk to a real platform on a real socket."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings

CSTAR_ENV = ("CSTAR_API_KEY", "CSTAR_API_BASE", "CSTAR_PROFILE", "CSTAR_DEBUG", "CSTAR_NO_KEYRING")


@pytest.fixture(autouse=True)
def isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary CSTAR_HOME, no colour, a fixed width and no cstar settings from the outside."""
    home = tmp_path / "cstar-home"
    home.mkdir()
    for name in CSTAR_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CSTAR_HOME", str(home))
    monkeypatch.setenv("CSTAR_NO_KEYRING", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    return home


@dataclass
class RunningPlatform:
    """A local platform served by uvicorn on 127.0.0.1 for the whole test session."""

    server: PlatformThread

    @property
    def api_base(self) -> str:
        return self.server.api_base

    @property
    def team_id(self) -> str:
        return self.server.keys.team_id

    @property
    def secret_key(self) -> str:
        return self.server.keys.secret_key

    @property
    def publishable_key(self) -> str:
        return self.server.keys.publishable_key

    @property
    def live_secret_key(self) -> str:
        return self.server.keys.live_secret_key

    def team_url(self, path: str = "") -> str:
        return f"{self.api_base}/api/v1/teams/{self.team_id}{path}"

    def client(self, key: str | None = None, **kwargs: Any) -> httpx.Client:
        """A raw HTTP client for this platform, authenticated with ``key`` (default test secret)."""
        headers = {"Authorization": f"Bearer {key or self.secret_key}"}
        return httpx.Client(base_url=self.api_base, headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    db = tmp_path_factory.mktemp("platform") / "cstar.db"
    settings = PlatformSettings(db_path=str(db), enforce_rate_limits=False, retry_scale=0.001)
    with PlatformThread(settings) as server:
        yield RunningPlatform(server)


@pytest.fixture
def api(platform: RunningPlatform) -> Iterator[httpx.Client]:
    """A raw client on the session platform with the test secret key, paths relative to the team.

    Webhooks made through it are deleted when the test ends, so no later test on the shared
    platform delivers (or retries) to a receiver that is gone.
    """
    made: list[str] = []

    def remember(response: httpx.Response) -> None:
        request = response.request
        if request.method == "POST" and request.url.path.endswith("/webhooks"):
            response.read()
            if response.status_code == 201:
                made.append(response.json()["data"]["id"])

    with httpx.Client(
        base_url=platform.team_url(),
        headers={"Authorization": f"Bearer {platform.secret_key}"},
        timeout=10,
        event_hooks={"response": [remember]},
    ) as client:
        yield client
        for webhook_id in made:
            client.delete(f"/webhooks/{webhook_id}")
