"""Running a platform: in the foreground for ``cstar dev``, or in a thread for tests and demos."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import threading
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cstar_cli.platform.app import create_app
from cstar_cli.platform.core import Platform
from cstar_cli.platform.seed import SeedKeys, mint_seed_keys, seed, seeded_team
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.platform.store.files import keys_file, read_private, write_private
from cstar_cli.wire.times import iso

T = TypeVar("T")
__all__ = ["PlatformThread", "ReadyInfo", "keys_file", "prepare", "serve_forever"]


@dataclass(frozen=True)
class ReadyInfo:
    """What a started platform tells its user."""

    api_base: str
    db_path: str
    keys: SeedKeys
    seeded_now: bool
    clock_offset: float = 0.0
    """How far the seeded team's test clock runs ahead (D21; it survives restarts)."""
    inspector_url: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "apiBase": self.api_base,
            "db": self.db_path,
            **self.keys.as_json(),
            "testClockOffsetSeconds": self.clock_offset,
            "inspectorUrl": self.inspector_url,
        }


def inspector_url(platform: Platform, api_base: str, key: str) -> str:
    """A one-time link to the inspector (D31), minted with the seed test secret key."""
    token, _ = platform.inspector.mint(key)
    return f"{api_base}/?token={token}"


def prepare(platform: Platform) -> tuple[SeedKeys, bool]:
    """Seed on first start; later starts reuse the team and read the keys back."""
    db = platform.db
    team_id = seeded_team(db)
    path = keys_file(platform.settings.db_path)
    if team_id is not None and path is not None:
        kept = _read_keys(path, team_id)
        if kept is not None:
            return kept, False
    if team_id is None:
        keys, fresh = seed(db, platform.vault, platform.now()), True
    else:
        keys, fresh = reissue_keys(platform, team_id), False
    if path is not None:
        write_private(path, (json.dumps(keys.as_json(), indent=2) + "\n").encode())
    return keys, fresh


def _read_keys(path: Path, team_id: str) -> SeedKeys | None:
    """The seed keys file, if it is a regular file (never a symlink) of this team."""
    raw = read_private(path)
    try:
        data = json.loads(raw) if raw is not None else None
        if not isinstance(data, dict) or data.get("teamId") != team_id:
            return None
        return SeedKeys.from_json(data)
    except (ValueError, KeyError):
        return None  # damaged: new seed keys replace it


def reissue_keys(platform: Platform, team_id: str) -> SeedKeys:
    """The keys file is gone (only hashes are stored): mint four new seed keys."""
    with platform.db.transaction():
        return mint_seed_keys(
            platform.db, platform.vault, team_id, iso(platform.now()), note="re-issued"
        )


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted connections; without it every
    # keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _uvicorn_server(app: Any, platform: Platform) -> Any:
    import uvicorn

    class QuietServer(uvicorn.Server):
        """uvicorn without its own signal handling: the caller decides how to stop."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # Realtime streams never finish on their own: end them once no new connection can
            # come, or uvicorn would wait out its graceful timeout for them.
            for server in self.servers:
                server.close()
            platform.realtime.close_all()
            await super().shutdown(sockets)

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http="httptools",
        ws="websockets-sansio",
        timeout_graceful_shutdown=5,
    )
    return QuietServer(config)


Hook = Callable[[Platform, SeedKeys], None]
"""Work on the platform before it serves or after it stopped (data files, D34)."""


def serve_forever(
    settings: PlatformSettings,
    host: str,
    port: int,
    on_ready: Callable[[ReadyInfo], None],
    *,
    on_start: Hook | None = None,
    on_stop: Hook | None = None,
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM, then stop cleanly. ``on_start`` runs
    once the team is there, before the socket is bound; ``on_stop`` after a clean stop, while
    the database is still open."""
    platform = Platform(settings)
    try:
        keys, fresh = prepare(platform)
        if on_start is not None:
            on_start(platform, keys)
        sock = bind(host, port)
    except BaseException:
        platform.close()
        raise
    actual_port = sock.getsockname()[1]
    server = _uvicorn_server(create_app(platform=platform), platform)
    offset = platform.test_clock.offset(keys.team_id, False)
    platform.api_base = f"http://{url_host(host)}:{actual_port}"  # for its links (D31)
    link = inspector_url(platform, platform.api_base, keys.secret_key)
    info = ReadyInfo(platform.api_base, settings.db_path, keys, fresh, offset, link)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: setattr(server, "should_exit", True))
        serving = asyncio.ensure_future(server.serve(sockets=[sock]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if server.started:
            on_ready(info)
        await serving

    try:
        asyncio.run(main())
        if on_stop is not None:
            on_stop(platform, keys)
    finally:
        sock.close()
        platform.close()


class PlatformThread:
    """A platform served by uvicorn on a real socket from a background thread (tests, demo)."""

    def __init__(self, settings: PlatformSettings, host: str = "127.0.0.1", port: int = 0) -> None:
        self.settings = settings
        self.platform = Platform(settings)
        self.keys, _ = prepare(self.platform)
        self._sock = bind(host, port)
        self.port = self._sock.getsockname()[1]
        self.api_base = self.platform.api_base = f"http://{url_host(host)}:{self.port}"
        self.inspector_url = inspector_url(self.platform, self.api_base, self.keys.secret_key)
        self.app = create_app(platform=self.platform)
        self._server = _uvicorn_server(self.app, self.platform)
        self._thread = threading.Thread(target=self._run, name="cstar-platform", daemon=True)
        self.loop: asyncio.AbstractEventLoop | None = None

    def _run(self) -> None:
        async def serve() -> None:
            self.loop = asyncio.get_running_loop()
            await self._server.serve(sockets=[self._sock])

        asyncio.run(serve())

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        """Run a coroutine on the platform's event loop from another thread (tests)."""
        assert self.loop is not None, "platform not started"
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> PlatformThread:
        self._thread.start()
        for _ in range(1000):
            if self._server.started:
                return self
            if not self._thread.is_alive():
                break
            threading.Event().wait(0.01)
        raise RuntimeError("the local platform did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.ident is not None:  # (a platform that never started has no thread)
            self._thread.join(timeout=10)
        self._sock.close()
        self.platform.close()

    def __enter__(self) -> PlatformThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
