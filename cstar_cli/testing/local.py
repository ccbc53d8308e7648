"""``LocalPlatform``: the local cStar platform inside your own process, for tests (D36).

Importing this module loads the platform (FastAPI included) and what serving it takes (uvicorn
and its protocols, httpx, the vault's cryptography), so that :meth:`LocalPlatform.start` only
builds and serves one: a process pays the imports once, however many platforms it starts.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.testing.receiver import Receiver
from cstar_cli.wire.ids import WEBHOOK

if TYPE_CHECKING:
    from cstar_cli.client import AsyncCstarClient, CstarClient
    from cstar_cli.client.base import ClientSettings
    from cstar_cli.client.testhelpers import FaultsResource

__all__ = ["LocalClock", "LocalPlatform"]

PRELOADED = (
    "cryptography.fernet",  # the vault that seals webhook secrets and keys
    "anyio._backends._asyncio",  # what Starlette runs on, loaded by the first lifespan
    "fastapi.telemetry._runtime",
    "uvicorn.server",
    "uvicorn.lifespan.on",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.protocols.websockets.websockets_sansio_impl",
    "httpx",  # the dispatcher's and client()'s, with what its clients load on creation
    "httpcore",
    "certifi",
    "cstar_cli.client.clients",
    "cstar_cli.platform.inspector.pages",  # the inspector's pages, installed on each app
    "cstar_cli.platform.inspector.actions",
    "cstar_cli.platform.inspector.docs",
    "cstar_cli.platform.inspector.formats",
)
"""Modules the first :meth:`LocalPlatform.start` would otherwise import lazily."""


def _preload() -> None:
    """Import :data:`PRELOADED` (an optimisation only: a module renamed upstream loads later)."""
    for name in PRELOADED:
        with contextlib.suppress(ImportError):
            import_module(name)


_preload()


class LocalClock:
    """The test environment's clock (D21): every deadline, timer and ``createdAt`` follows it;
    signatures and rate limits stay on real time."""

    def __init__(self, platform: LocalPlatform) -> None:
        self._platform = platform

    def advance(self, by: float | timedelta) -> dict[str, Any]:
        """Move the clock forward by ``by`` seconds (or a ``timedelta``); what fell due meanwhile
        fires. Returns ``{now, offsetSeconds, advancedBy, …}``."""
        seconds = by.total_seconds() if isinstance(by, timedelta) else float(by)
        answer: dict[str, Any] = self._platform.client().clock.advance(seconds)
        return answer

    def reset(self) -> dict[str, Any]:
        """Back to real time (what was recorded meanwhile keeps its times)."""
        answer: dict[str, Any] = self._platform.client().clock.reset()
        return answer

    def show(self) -> dict[str, Any]:
        """``{now, offsetSeconds, …}``: the team's time and how far it runs ahead."""
        answer: dict[str, Any] = self._platform.client().clock.show()
        return answer


class LocalPlatform:
    """The local platform on a background thread of this process, on a real socket.

    ::

        with LocalPlatform() as cstar:
            cstar.client().tickets.create({"title": "Printer on fire"})

    Or ``cstar = LocalPlatform().start()`` … ``cstar.stop()`` (a ``unittest`` ``setUpClass``, a
    script). It listens on 127.0.0.1 on a free port, keeps its data in memory, and starts with a
    seeded team (an owner, two agents) and test keys; :meth:`reset` empties it again (D33) in
    milliseconds, so one platform serves a whole test session. Rate limits are off unless
    ``rate_limits=True``. ``retry_scale`` shrinks the webhook retry schedule (30 s … 24 h) —
    ``0.001`` retries a refused delivery after 30 ms.

    ``seed`` (a data file's path, or its document as a dict, D34) is loaded when it starts;
    :meth:`load` replaces the environment's data with another, :meth:`export` writes it.
    """

    def __init__(
        self,
        *,
        seed: str | Path | Mapping[str, Any] | None = None,
        rate_limits: bool = False,
        retry_scale: float = 1.0,
    ) -> None:
        self._settings = PlatformSettings(
            db_path=":memory:", enforce_rate_limits=rate_limits, retry_scale=retry_scale
        )
        self._server: PlatformThread | None = None
        self._client: CstarClient | None = None
        self._receivers: list[Receiver] = []
        self._seed = seed
        self.clock = LocalClock(self)
        """The test clock: ``cstar.clock.advance(3600)``, ``cstar.clock.reset()``."""

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LocalPlatform:
        """Build the platform, serve it, and return once it answers requests."""
        if self._server is not None:
            raise RuntimeError("this LocalPlatform is already started")
        server = PlatformThread(self._settings)
        try:
            server.start()
        except BaseException:
            server.stop()
            raise
        self._server = server
        if self._seed is not None:
            self.load(self._seed)
        return self

    def stop(self) -> None:
        """Close its receivers and clients, and stop serving (its data is gone). Safe twice."""
        server, self._server = self._server, None
        if server is None:
            return
        self.close_receivers()
        if self._client is not None:
            self._client.close()
            self._client = None
        server.stop()

    def __enter__(self) -> LocalPlatform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    def _running(self) -> PlatformThread:
        if self._server is None:
            raise RuntimeError(
                "the LocalPlatform is not started: use 'with LocalPlatform() as cstar:' or "
                "call start()"
            )
        return self._server

    # -- where it is, and its keys -----------------------------------------------------------
    @property
    def api_base(self) -> str:
        """``http://127.0.0.1:<port>``: the API base URL (``CSTAR_API_BASE``)."""
        return self._running().api_base

    @property
    def team_id(self) -> str:
        """The seeded team's id."""
        return self._running().keys.team_id

    @property
    def secret_key(self) -> str:
        """The team's secret test key (``sk_test_…``); a reset keeps it valid."""
        return self._running().keys.secret_key

    @property
    def publishable_key(self) -> str:
        """The team's publishable test key (``pk_test_…``)."""
        return self._running().keys.publishable_key

    def environ(self) -> dict[str, str]:
        """What ``cstar dev exec`` puts in a command's environment (D35), for code under test
        that reads its settings from there: ``monkeypatch.setenv(k, v)`` for each."""
        return {
            "CSTAR_API_BASE": self.api_base,
            "CSTAR_API_KEY": self.secret_key,
            "CSTAR_PUBLISHABLE_KEY": self.publishable_key,
            "CSTAR_TEAM_ID": self.team_id,
        }

    # -- clients -----------------------------------------------------------------------------
    def client(self) -> CstarClient:
        """A :class:`~cstar_cli.client.CstarClient` with the secret test key, shared by every
        call (and closed by :meth:`stop`; one you closed is replaced)."""
        import httpx

        from cstar_cli.client import CstarClient

        server = self._running()
        if self._client is None or self._client._http.is_closed:  # closed by a `with`
            self._client = CstarClient(
                server.keys.secret_key,
                api_base=server.api_base,
                team_id=server.keys.team_id,
                # plain http to loopback: no TLS, so no CA bundle to load (tens of ms)
                transport=httpx.HTTPTransport(verify=False),
            )
        return self._client

    def async_client(self, **settings: Unpack[ClientSettings]) -> AsyncCstarClient:
        """A new :class:`~cstar_cli.client.AsyncCstarClient` with the secret test key, for the
        caller's event loop: ``async with cstar.async_client() as client: …``."""
        from cstar_cli.client import AsyncCstarClient

        server = self._running()
        options: ClientSettings = {
            "api_base": server.api_base,
            "team_id": server.keys.team_id,
            **settings,
        }
        return AsyncCstarClient(server.keys.secret_key, **options)

    # -- the test environment ----------------------------------------------------------------
    def reset(self) -> dict[str, Any]:
        """Empty the test environment (D33): tickets, customers, webhooks, events, the clock
        offset… all gone; the team, its seed members and keys stay. Returns ``{deleted: {…}}``."""
        answer: dict[str, Any] = self.client().test_helpers.reset()
        return answer

    def load(self, data: str | Path | Mapping[str, Any]) -> dict[str, Any]:
        """Replace the test environment's data with a data file (D34): its path, or its document
        as a dict. Returns ``{deleted: {…}, loaded: {…}}``; a bad file raises the API's 400
        (``CstarAPIError`` naming the JSON path, e.g. ``tickets[3].customerId``), nothing
        applied."""
        document = data if isinstance(data, Mapping) else json.loads(Path(data).read_text())
        answer: dict[str, Any] = self.client().test_helpers.import_data(dict(document))
        return answer

    def export(self) -> dict[str, Any]:
        """The test environment as a data file document (D34): ``{"cstarData": 1, …}``, no
        secrets; loading it back gives the same document."""
        document: dict[str, Any] = self.client().test_helpers.export()
        return document

    def events(self, type: str | None = None) -> list[dict[str, Any]]:
        """The events stored, oldest first (newest last); ``type`` is an event type or a
        pattern (``ticket.*``)."""
        params = {"type": type} if type else None
        return list(reversed(list(self.client().events.iter_all(params))))

    @property
    def faults(self) -> FaultsResource:
        """Faults on purpose (D38), cleared by :meth:`reset`::

        cstar.faults.api("POST /tickets", status=503, count=2)   # two 503s, then normal
        cstar.faults.deliveries(duplicate=True)                  # the next delivery twice
        cstar.faults.list(); cstar.faults.remove(fault_id); cstar.faults.clear()
        """
        faults: FaultsResource = self.client().test_helpers.faults
        return faults

    # -- webhooks ----------------------------------------------------------------------------
    def receiver(self, secret: str | None = None) -> Receiver:
        """A new, started :class:`~cstar_cli.testing.receiver.Receiver`: point a webhook at its
        ``url``. It checks each delivery's signature against the secret of the webhook named
        by ``X-Webhook-ID`` (looked up here, in process), or against ``secret`` when given.
        It stops with the platform (or with :meth:`close_receivers`, or its own ``close()``)."""
        server = self._running()
        assert server.loop is not None
        inbox = Receiver(secret, lookup=self._webhook_secret).start(server.loop)
        self._receivers.append(inbox)
        return inbox

    def close_receivers(self) -> None:
        """Close every receiver made by :meth:`receiver` so far (the ``cstar_dev`` fixture does
        this after each test)."""
        receivers, self._receivers = self._receivers, []
        for inbox in receivers:
            inbox.close()

    def _webhook_secret(self, webhook_id: str) -> str | None:
        """The signing secret of one of the team's webhooks, unsealed from the platform's vault
        as its dispatcher does; runs on the platform's event loop (the database's thread)."""
        server = self._server
        if server is None or not webhook_id.startswith(WEBHOOK):
            return None
        platform = server.platform
        row = platform.db.one(
            "SELECT secret FROM webhooks WHERE id = ? AND team_id = ?",
            (webhook_id.removeprefix(WEBHOOK), server.keys.team_id),
        )
        return None if row is None else platform.vault.decrypt(row["secret"])
