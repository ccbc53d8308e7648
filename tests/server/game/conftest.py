"""Game fixtures: a platform of the test's own (fake clock, own SQLite), a webhook receiver, a CLI.

Game tests move the test clock, so they never share the session platform: an advanced clock
there would push other tests' open tickets into bosses and shift their timestamps.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from cstar_cli.context import Services
from cstar_cli.main import build_app
from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings
from tests.support.receivers import ReceiverServer

MINUTE = 60
DAY = 86_400


@dataclass
class FakeClock:
    """The platform's base clock: frozen unless a test moves it (the test clock adds to it)."""

    now: float = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


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


@dataclass
class Receiver:
    """A local webhook endpoint that records the JSON body of every POST."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def types(self) -> list[str]:
        with self.lock:
            return [b["type"] for b in self.bodies]

    def wait_for(self, event_type: str, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for body in self.bodies:
                    if body["type"] == event_type:
                        return body
            time.sleep(0.02)
        raise AssertionError(f"{event_type} never arrived; got {self.types()}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with received.lock:
                received.bodies.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    received.server = ReceiverServer(("127.0.0.1", 0), Handler)
    received.server.daemon_threads = True
    thread = threading.Thread(target=received.server.serve_forever, daemon=True)
    thread.start()
    yield received
    received.server.shutdown()
    received.server.server_close()
    thread.join(timeout=5)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cstar() -> Callable[..., Run]:
    """``cstar(*args)`` in-process (the autouse ``isolate`` fixture gives it a fresh home)."""

    def run(*args: str) -> Run:
        result = CliRunner().invoke(build_app(Services()), list(args), prog_name="cstar")
        return Run(result.exit_code, result.stdout, result.stderr)

    return run
