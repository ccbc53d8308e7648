"""Shared fixtures: every test is isolated; wire tests talk to a real platform on a real socket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cstar_cli.cli.context import Seams
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.cli import CliFn, Run, Sleeps, run_cli
from tests.support.clocks import FakeClock
from tests.support.platforms import OwnPlatform, RunningPlatform, Start

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


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    db = tmp_path_factory.mktemp("platform") / "cstar.db"
    settings = PlatformSettings(db_path=str(db), enforce_rate_limits=False, retry_scale=0.001)
    with PlatformThread(settings) as server:
        yield RunningPlatform.serving(server)


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


@pytest.fixture
def own_platform() -> Iterator[Start]:
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


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def cli(sleeps: Sleeps) -> CliFn:
    """``cli("tickets", "list", seams=..., input=...)`` → :class:`Run`; never really sleeps."""

    def run(*args: str, seams: Seams | None = None, input: str | None = None) -> Run:
        seams = seams or Seams()
        if seams.sleep is None:
            seams.sleep = sleeps
        return run_cli(*args, seams=seams, input=input)

    return run


@pytest.fixture
def logged_in(cli: CliFn, platform: RunningPlatform) -> RunningPlatform:
    """The default profile logged in to the session platform with its test secret key."""
    run = cli("login", "--api-base", platform.api_base, "--api-key", platform.secret_key)
    assert run.exit_code == 0, run.output
    return platform
