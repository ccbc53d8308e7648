"""The listen loop (D14–D16): connect, resume, forward, acknowledge, reconnect.

The platform numbers every event of the session (``seq``) and keeps it until we acknowledge it
*after* the local endpoint answered. On every (re)connect we say up to which ``seq`` everything
is finished; the platform re-sends the rest in order. Repeats (an event whose acknowledgement was
lost, or one still being forwarded) are recognised by their delivery id and never forwarded
twice, so the local endpoint sees each event once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from cstar_cli import __version__
from cstar_cli.relay.forward import Forwarder, ForwardResult, RelayEvent
from cstar_cli.relay.socket import SocketFatal as ListenFatal
from cstar_cli.relay.socket import run_socket

if TYPE_CHECKING:
    from cstar_cli.api.client import AsyncCstarClient

REMEMBERED_RESULTS = 100_000
CLOSE_AUTH = 4401
CLOSE_GONE = 4404
CLOSE_REPLACED = 4409


@dataclass(frozen=True)
class SessionInfo:
    id: str
    signing_secret: str
    websocket_url: str
    events: list[str]
    device_name: str
    pending: int

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> SessionInfo:
        return cls(
            id=data["id"],
            signing_secret=data["signingSecret"],
            websocket_url=data["websocketUrl"],
            events=list(data["events"]),
            device_name=data["deviceName"],
            pending=int(data.get("pending", 0)),
        )


@dataclass
class ListenOptions:
    forward_to: str
    events: list[str] | None = None
    device_name: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    verify_tls: bool = True
    legacy_signature: bool = True
    max_in_flight: int = 16  # chosen with benchmarks/relay.py (see benchmarks/README.md)
    ordered: bool = False
    retries: int = 5


class Reporter(Protocol):
    """How the loop tells its user what is happening."""

    def ready(self, session: SessionInfo) -> None: ...
    def received(self, event: RelayEvent) -> None: ...
    def responded(self, event: RelayEvent, result: ForwardResult) -> None: ...
    def disconnected(self, reason: str, retry_in: float) -> None: ...
    def reconnected(self, pending: int) -> None: ...
    def notice(self, message: str) -> None: ...


async def open_session(
    client: AsyncCstarClient, events: list[str] | None, device_name: str | None
) -> SessionInfo:
    """``POST /webhooks/listen``: create the device's session or resume it (D14)."""
    body: dict[str, Any] = {}
    if events:
        body["events"] = events
    if device_name:
        body["deviceName"] = device_name
    path = await client.team_path("webhooks", "listen")
    response = await client.request("POST", path, json=body)
    return SessionInfo.from_api(response.data)


class Listener:
    """Runs one listen session until stopped, replaced, or refused."""

    def __init__(
        self,
        client: AsyncCstarClient,
        api_key: str,
        options: ListenOptions,
        reporter: Reporter,
        *,
        forwarder_factory: Callable[[SessionInfo], Forwarder] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.api_key = api_key
        self.options = options
        self.reporter = reporter
        self._forwarder_factory = forwarder_factory
        self._sleep = sleep
        self.session: SessionInfo | None = None
        self.forwarder: Forwarder | None = None
        self.done_through = 0
        self._completed: set[int] = set()
        self._results: OrderedDict[str, tuple[int, ForwardResult]] = OrderedDict()
        self._in_flight: dict[str, asyncio.Task[None] | None] = {}
        self._acks: list[dict[str, Any]] = []
        self._ack_ready = asyncio.Event()
        self._slots = asyncio.Semaphore(max(1, options.max_in_flight))
        self._queue: asyncio.Queue[RelayEvent] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self.forwarded = 0
        self._connections = 0

    # -- the loop --------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> str:
        """Listen until ``stop`` is set (returns ``"stopped"``) or the session is taken over
        by another process (``"replaced"``). Raises :class:`ListenFatal` when refused."""
        self.session = await open_session(
            self.client, self.options.events, self.options.device_name
        )
        self.forwarder = self._make_forwarder(self.session)
        if self.options.ordered:
            self._worker = asyncio.create_task(self._ordered_worker())
        try:
            return await run_socket(self, self.api_key, stop)
        finally:
            await self._finish()

    # -- SocketHandler ---------------------------------------------------------------------
    def url(self) -> str:
        assert self.session is not None
        return self.session.websocket_url

    def hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "after": self.done_through,
            "forwardTo": self.options.forward_to,
            "client": f"cstar-cli/{__version__}",
        }

    def connected(self, ready: dict[str, Any], count: int) -> None:
        assert self.session is not None
        if count == 1:
            self.reporter.ready(self.session)
        else:
            self.reporter.reconnected(int(ready.get("pending", 0)))

    async def closed(self, code: int | None, reason: str) -> str | None:
        assert self.session is not None
        if code == CLOSE_REPLACED:
            self.reporter.notice(
                f"Another `cstar listen` with device name {self.session.device_name!r} "
                "took over this session; stopping here."
            )
            return "replaced"
        if code == CLOSE_AUTH:
            raise ListenFatal("listen_refused", reason)
        if code == CLOSE_GONE:
            self.session = await open_session(
                self.client, self.options.events, self.options.device_name
            )
        return None

    def disconnected(self, reason: str, retry_in: float) -> None:
        self.reporter.disconnected(reason, retry_in)

    async def serve(self, ws: Any, stop: asyncio.Event) -> str | None:
        _, outcome = await self._serve(ws, stop)
        return outcome

    async def _serve(self, ws: Any, stop: asyncio.Event) -> tuple[str | None, str | None]:
        sender = asyncio.create_task(self._send_acks(ws))
        reader = asyncio.create_task(self._read(ws))
        stopper = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait(
                {reader, stopper, sender}, return_when=asyncio.FIRST_COMPLETED
            )
            if stopper in done:
                reader.cancel()
                await self._drain()
                await self._flush_acks(ws)
                await ws.close()
                return None, "stopped"
            for finished in (reader, sender):
                if finished in done:
                    finished.result()  # re-raises ConnectionClosed
            return "the connection ended", None
        finally:
            for task in (sender, reader, stopper):
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(sender, reader, stopper, return_exceptions=True)

    async def _read(self, ws: Any) -> None:
        async for message in ws:
            frame = json.loads(message)
            kind = frame.get("type")
            if kind == "events":
                for raw in frame.get("events", []):
                    self._accept(RelayEvent.from_wire(raw))
            elif kind == "replaced":
                continue  # the close frame that follows ends the connection

    # -- events ----------------------------------------------------------------------------
    def _accept(self, event: RelayEvent) -> None:
        known = self._results.get(event.delivery_id)
        if known is not None:  # finished earlier; its acknowledgement was lost
            self._queue_ack(event, known[1])
            return
        if event.delivery_id in self._in_flight:
            return
        self.reporter.received(event)
        if self.options.ordered:
            self._in_flight[event.delivery_id] = None
            self._queue.put_nowait(event)
        else:
            self._in_flight[event.delivery_id] = asyncio.create_task(self._forward(event))

    async def _forward(self, event: RelayEvent) -> None:
        assert self.forwarder is not None
        async with self._slots:
            result = await self.forwarder.forward(event)
        self._complete(event, result)

    async def _ordered_worker(self) -> None:
        assert self.forwarder is not None
        while True:
            event = await self._queue.get()
            result = await self.forwarder.forward(event)
            self._complete(event, result)

    def _complete(self, event: RelayEvent, result: ForwardResult) -> None:
        self.forwarded += 1
        self._in_flight.pop(event.delivery_id, None)
        self._results[event.delivery_id] = (event.seq, result)
        if len(self._results) > REMEMBERED_RESULTS:
            self._results.popitem(last=False)
        self._completed.add(event.seq)
        while self.done_through + 1 in self._completed:
            self.done_through += 1
            self._completed.discard(self.done_through)
        self._queue_ack(event, result)
        self.reporter.responded(event, result)

    def _queue_ack(self, event: RelayEvent, result: ForwardResult) -> None:
        self._acks.append(
            {
                "seq": event.seq,
                "deliveryId": event.delivery_id,
                "status": result.status,
                "durationMs": result.duration_ms,
                "error": result.error,
                "attempts": result.attempts,
                "forwardTo": self.options.forward_to,
            }
        )
        self._ack_ready.set()

    async def _send_acks(self, ws: Any) -> None:
        while True:
            await self._ack_ready.wait()
            self._ack_ready.clear()
            await self._flush_acks(ws)

    async def _flush_acks(self, ws: Any) -> None:
        batch, self._acks = self._acks, []
        if not batch:
            return
        try:
            await ws.send(json.dumps({"type": "ack", "acks": batch}, separators=(",", ":")))
        except BaseException:
            self._acks = batch + self._acks
            raise

    async def _drain(self) -> None:
        """On Ctrl-C: let forwards in flight finish (within ``--timeout``)."""
        pending = [t for t in self._in_flight.values() if t is not None]
        if self.options.ordered and self._in_flight:
            deadline = asyncio.get_running_loop().time() + self.options.timeout
            while self._in_flight and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.01)
            return
        if pending:
            await asyncio.wait(pending, timeout=self.options.timeout)

    async def _finish(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        for task in self._in_flight.values():
            if task is not None:
                task.cancel()
        if self.forwarder is not None:
            await self.forwarder.aclose()

    def _make_forwarder(self, session: SessionInfo) -> Forwarder:
        if self._forwarder_factory is not None:
            return self._forwarder_factory(session)
        options = self.options
        return Forwarder(
            options.forward_to,
            session.signing_secret,
            session.id,
            headers=options.headers,
            timeout=options.timeout,
            retries=options.retries,
            verify_tls=options.verify_tls,
            legacy_signature=options.legacy_signature,
            max_connections=max(1, options.max_in_flight),
        )
