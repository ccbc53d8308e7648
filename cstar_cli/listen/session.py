"""The listen loop (D14–D16): connect, declare routes, resume, forward, acknowledge, reconnect.

The platform numbers every event of each route (``seq``) and keeps it until we acknowledge it
*after* the route's target answered. On every (re)connect we say, per route, up to which ``seq``
everything is finished; the platform re-sends the rest in order. Each route is worked by its own
:class:`~cstar_cli.listen.route.RouteWorker`, so a target that is down never holds back another.
Without routes (print mode) events are only shown, and nothing is acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from cstar_cli.client.websocket import SocketFatal as ListenFatal
from cstar_cli.client.websocket import run_socket
from cstar_cli.listen.forward import Forwarder, RelayEvent
from cstar_cli.listen.route import Outcome, RouteInfo, RouteReporter, RouteWorker
from cstar_cli.listen.targets import Route
from cstar_cli.wire.codes import CLOSE_AUTH, CLOSE_GONE, CLOSE_INVALID, CLOSE_REPLACED
from cstar_cli.wire.protocol import CLI_USER_AGENT, PROTOCOL_VERSION

if TYPE_CHECKING:
    from cstar_cli.client.clients import AsyncCstarClient

ACK_BATCH, ACK_DELAY = 100, 0.002  # acknowledgements wait at most 2 ms to share a frame


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
    """What to listen for and where it goes; no routes means print mode."""

    routes: list[Route] = field(default_factory=list)
    events: list[str] | None = None
    device_name: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    verify_tls: bool = True
    legacy_signature: bool = True
    max_in_flight: int = 1  # > 1 gives up order for throughput (D15)
    retries: int = 3

    @property
    def print_mode(self) -> bool:
        return not self.routes

    def session_events(self) -> list[str] | None:
        """The session's filter: ``--events``, else what the routes ask for (None: all)."""
        if self.events:
            return self.events
        wanted = [p for route in self.routes for p in route.patterns]
        if not wanted or "*" in wanted:
            return None
        return list(dict.fromkeys(wanted))


class Reporter(RouteReporter, Protocol):
    """How the loop tells its user what is happening."""

    def ready(self, session: SessionInfo, ready: dict[str, Any]) -> None: ...
    def shown(self, event: RelayEvent) -> None: ...
    def disconnected(self, reason: str, retry_in: float) -> None: ...
    def reconnected(self, pending: int) -> None: ...
    def stopping(self, sending: int, unfinished: int) -> None: ...
    def notice(self, message: str) -> None: ...


async def open_session(
    client: AsyncCstarClient, options: ListenOptions, *, declare_routes: bool = True
) -> SessionInfo:
    """``POST /webhooks/listen``: create the device's session or resume it (D14).

    The routes are declared at once, so events that happen before the websocket is open are
    already queued for them; ``declare_routes=False`` leaves a session's routes as they are.
    """
    body: dict[str, Any] = {}
    if declare_routes:
        body["routes"] = [{"target": r.target, "events": list(r.patterns)} for r in options.routes]
    events = options.session_events()
    if events:
        body["events"] = events
    if options.device_name:
        body["deviceName"] = options.device_name
    return SessionInfo.from_api(await client.listen_sessions.open(body))


class Listener:
    """Runs one listen session until stopped, replaced, or refused."""

    def __init__(
        self,
        client: AsyncCstarClient,
        api_key: str,
        options: ListenOptions,
        reporter: Reporter,
        *,
        forwarder_factory: Callable[[SessionInfo, Route], Forwarder] | None = None,
    ) -> None:
        self.client = client
        self.api_key = api_key
        self.options = options
        self.reporter = reporter
        self._forwarder_factory = forwarder_factory
        self.instance = secrets.token_hex(8)  # tells our own reconnects from a takeover
        self.session: SessionInfo | None = None
        self.workers: list[RouteWorker] = []
        self._runners: list[asyncio.Task[None]] = []
        self._acks: list[dict[str, Any]] = []
        self._ack_ready = asyncio.Event()
        self._last_event: str | None = None
        self._abort = asyncio.Event()
        self._socket: Any = None

    @property
    def forwarded(self) -> int:
        return sum(worker.forwarded for worker in self.workers)

    # -- the loop --------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> str:
        """Listen until ``stop`` is set (returns ``"stopped"``, or ``"aborted"`` after
        :meth:`abort`) or the session is taken over by another process (``"replaced"``).
        Raises :class:`ListenFatal` when refused."""
        self.session = await open_session(self.client, self.options)
        try:
            outcome = await run_socket(self, self.api_key, stop)
            return "aborted" if self._abort.is_set() else outcome
        finally:
            for runner in self._runners:
                runner.cancel()
            await asyncio.gather(*self._runners, return_exceptions=True)
            for worker in self.workers:
                await worker.aclose()

    def abort(self) -> None:
        """Stop now (a second Ctrl-C): nothing more is awaited; unacknowledged events stay
        queued on the platform."""
        self._abort.set()
        for worker in self.workers:
            worker.stop()
            worker.abort()
        transport = getattr(self._socket, "transport", None)
        if transport is not None:
            transport.abort()

    # -- SocketHandler ---------------------------------------------------------------------
    def url(self) -> str:
        assert self.session is not None
        return self.session.websocket_url

    def hello(self) -> dict[str, Any]:
        hello: dict[str, Any] = {
            "type": "hello",
            "version": PROTOCOL_VERSION,
            "client": CLI_USER_AGENT,
            "instance": self.instance,
        }
        if self._acks:  # unsent when the last connection dropped: recorded before resuming
            hello["acks"] = list(self._acks)
        if self.options.print_mode:
            hello["mode"] = "print"
            if self._last_event:
                hello["afterEvent"] = self._last_event
            return hello
        done = [worker.done_through for worker in self.workers] or [0] * len(self.options.routes)
        hello["routes"] = [
            {"target": route.target, "events": list(route.patterns), "after": after}
            for route, after in zip(self.options.routes, done, strict=True)
        ]
        return hello

    def connected(self, ready: dict[str, Any], count: int) -> None:
        assert self.session is not None
        self._acks.clear()  # the hello carried them
        if not self.workers and not self.options.print_mode:
            self._start_workers(ready.get("routes") or [])
        if count == 1:
            self.reporter.ready(self.session, ready)
        else:
            self.reporter.reconnected(int(ready.get("pending", 0)))
        if ready.get("tookOver"):
            self.reporter.notice(
                f"Took over session {self.session.id} from another `cstar listen` with device "
                f"name {self.session.device_name!r}; that one stops now. To run both, give this "
                "one its own name: --device-name NAME."
            )

    def _start_workers(self, declared: list[dict[str, Any]]) -> None:
        assert self.session is not None
        for route, known in zip(self.options.routes, declared, strict=False):
            info = RouteInfo(str(known["id"]), route.target, route.patterns)
            worker = RouteWorker(
                info,
                self._make_forwarder(self.session, route),
                self.reporter,
                self._done,
                window=self.options.max_in_flight,
                retries=self.options.retries,
            )
            self.workers.append(worker)
            self._runners.append(asyncio.create_task(worker.run()))

    async def closed(self, code: int | None, reason: str) -> str | None:
        assert self.session is not None
        if code == CLOSE_REPLACED:
            self.reporter.notice(
                f"Another `cstar listen` with device name {self.session.device_name!r} "
                "took over this session; stopping here. (Use --device-name to run both.)"
            )
            return "replaced"
        if code in (CLOSE_AUTH, CLOSE_INVALID):
            raise ListenFatal("listen_refused", reason)
        if code == CLOSE_GONE:  # the session was ended: start a new one from scratch
            for worker in self.workers:
                await worker.aclose()
            self.workers.clear()
            self._acks.clear()
            self.session = await open_session(self.client, self.options)
        return None

    def disconnected(self, reason: str, retry_in: float) -> None:
        self.reporter.disconnected(reason, retry_in)

    async def serve(self, ws: Any, stop: asyncio.Event) -> str | None:
        self._socket = ws
        sender = asyncio.create_task(self._send_acks(ws))
        reader = asyncio.create_task(self._read(ws))
        stopper = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait(
                {reader, stopper, sender}, return_when=asyncio.FIRST_COMPLETED
            )
            if stopper in done:
                reader.cancel()
                await self._wind_down()
                await self._flush_acks(ws)
                if not self._abort.is_set():
                    await ws.close()
                return "stopped"
            for finished in (reader, sender):
                if finished in done:
                    finished.result()  # re-raises ConnectionClosed
            return None
        finally:
            self._socket = None
            for task in (sender, reader, stopper):
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(sender, reader, stopper, return_exceptions=True)

    async def _read(self, ws: Any) -> None:
        routes = {worker.info.id: worker for worker in self.workers}
        only = self.workers[0] if len(self.workers) == 1 else None
        async for message in ws:
            frame = json.loads(message)
            if frame.get("type") != "events":
                continue  # "replaced" is followed by the close frame that ends the connection
            for raw in frame.get("events", []):
                event = RelayEvent.from_wire(raw)
                if self.options.print_mode:
                    self._last_event = event.event_id
                    self.reporter.shown(event)
                    continue
                worker = routes.get(event.route or "", only)
                if worker is not None:
                    worker.accept(event)

    async def _wind_down(self) -> None:
        """On Ctrl-C: start nothing new; let forwards on the wire finish (within --timeout)."""
        for worker in self.workers:
            worker.stop()
        sending = sum(worker.sending for worker in self.workers)
        unfinished = sum(worker.unfinished for worker in self.workers)
        self.reporter.stopping(sending, unfinished)

        async def finish() -> None:
            for worker in self.workers:
                await worker.wait_finished(self.options.timeout)

        finished = asyncio.ensure_future(finish())
        aborted = asyncio.ensure_future(self._abort.wait())
        await asyncio.wait([finished, aborted], return_when=asyncio.FIRST_COMPLETED)
        for task in (finished, aborted):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- acknowledgements ------------------------------------------------------------------
    def _done(self, worker: RouteWorker, event: RelayEvent, outcome: Outcome) -> None:
        self._acks.append(outcome.ack(worker.info, event))
        self._ack_ready.set()

    async def _send_acks(self, ws: Any) -> None:
        while True:
            await self._ack_ready.wait()
            if len(self._acks) < ACK_BATCH:  # a busy route finishes many in a moment: one frame
                await asyncio.sleep(ACK_DELAY)
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

    def _make_forwarder(self, session: SessionInfo, route: Route) -> Forwarder:
        if self._forwarder_factory is not None:
            return self._forwarder_factory(session, route)
        options = self.options
        return Forwarder(
            route.target,
            session.signing_secret,
            session.id,
            headers=options.headers,
            timeout=options.timeout,
            verify_tls=options.verify_tls,
            legacy_signature=options.legacy_signature,
            max_connections=max(1, options.max_in_flight),
        )
