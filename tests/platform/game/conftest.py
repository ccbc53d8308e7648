"""Game fixtures: a platform of the test's own (fake clock, own SQLite), a webhook receiver, a CLI.

Game tests move the test clock, so they never share the session platform: an advanced clock
there would push other tests' open tickets into bosses and shift their timestamps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.cli import Run, run_cli
from tests.support.clocks import FakeClock
from tests.support.receivers import Receiver

MINUTE = 60
DAY = 86_400
Cstar = Callable[..., Run]


@dataclass
class Game:
    """One running platform and a client on its team with the test secret key."""

    server: PlatformThread
    clock: FakeClock
    http: httpx.Client

    @property
    def api_base(self) -> str:
        return self.server.api_base

    def client(self, key: str) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.api_base}/api/v1/teams/{self.server.keys.team_id}",
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )

    def ok(self, response: httpx.Response, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()["data"]

    def obj(self, response: httpx.Response, status: int = 200) -> dict[str, Any]:
        data: dict[str, Any] = self.ok(response, status)
        return data

    def advance(self, seconds: float) -> dict[str, Any]:
        return self.obj(self.http.post("/test-helpers/clock/advance", json={"seconds": seconds}))

    def member(self, name: str) -> dict[str, Any]:
        members = self.ok(self.http.get("/members"))
        return next(m for m in members if m["name"].startswith(name))

    def ticket(self, **body: Any) -> dict[str, Any]:
        return self.obj(self.http.post("/tickets", json={"title": "Help", **body}), 201)

    def update(self, ticket_id: str, **body: Any) -> dict[str, Any]:
        return self.obj(self.http.patch(f"/tickets/{ticket_id}", json=body))

    def close(self, ticket_id: str, status: str = "closed") -> dict[str, Any]:
        return self.update(ticket_id, status=status)

    def events(self, pattern: str = "*") -> list[dict[str, Any]]:
        """Events of a type or pattern, oldest first."""
        data: list[dict[str, Any]] = self.ok(
            self.http.get("/events", params={"type": pattern, "sort": "createdAt", "pageSize": 100})
        )
        return data

    def bosses(self, status: str | None = None) -> list[dict[str, Any]]:
        params = {"status": status} if status else {}
        data: list[dict[str, Any]] = self.ok(self.http.get("/game/bosses", params=params))
        return data

    def player(self, member_id: str) -> dict[str, Any]:
        data: dict[str, Any] = self.ok(self.http.get("/game/player", params={"userId": member_id}))
        return data


@pytest.fixture
def start_game() -> Iterator[Callable[..., Game]]:
    started: list[tuple[PlatformThread, httpx.Client]] = []

    def start(db_path: str = ":memory:", clock: FakeClock | None = None) -> Game:
        clock = clock or FakeClock()
        settings = PlatformSettings(
            db_path=db_path, clock=clock, enforce_rate_limits=False, retry_scale=0.001
        )
        server = PlatformThread(settings).start()
        http = httpx.Client(
            base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
            headers={"Authorization": f"Bearer {server.keys.secret_key}"},
            timeout=10,
        )
        started.append((server, http))
        return Game(server, clock, http)

    yield start
    for server, http in started:
        http.close()
        server.stop()


@pytest.fixture
def game(start_game: Callable[..., Game]) -> Game:
    return start_game()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real webhook endpoint recording every delivery (``receiver.event_of_type(...)``)."""
    with Receiver() as running:
        yield running


@pytest.fixture
def cstar() -> Cstar:
    """``cstar(*args)`` in-process (the autouse ``isolate`` fixture gives it a fresh home)."""

    return run_cli


def login(cstar: Cstar, game: Game) -> None:
    """Log the CLI in to ``game``'s platform with its test secret key."""
    run = cstar("login", "--api-base", game.api_base, "--api-key", game.server.keys.secret_key)
    assert run.exit_code == 0, run.stdout + run.stderr
