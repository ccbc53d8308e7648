"""``cstar demo``: the whole loop on a fresh machine, in a few seconds, touching nothing of yours.

A throwaway local platform (in memory), a small receiver that verifies every signature, a listen
session forwarding to it, and real API calls: a customer, an urgent ticket that the test clock
puts at risk so an SLA boss spawns, and the close that defeats it. Nothing is written to your
config or keyring; everything stops at the end.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cstar_cli.client.signing import SignatureVerificationError, construct_event

DEMO_TIMEOUT = 10.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the stdlib default of 5 is too few for a burst


@dataclass
class Verified:
    event_type: str
    event_id: str
    ok: bool
    detail: str


@dataclass
class VerifyingReceiver:
    """A tiny webhook endpoint that checks ``X-Signature`` with the session's secret."""

    secret: str = ""
    results: list[Verified] = field(default_factory=list)
    on_result: Callable[[Verified], None] | None = None
    _server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    event = construct_event(body, self.headers.get("X-Signature"), receiver.secret)
                    result = Verified(event["type"], event["id"], True, "signature verified")
                    status = 200
                except SignatureVerificationError as err:
                    result = Verified(
                        self.headers.get("X-Event-Type", "?"),
                        self.headers.get("X-Event-ID", "?"),
                        False,
                        str(err),
                    )
                    status = 400
                receiver.results.append(result)
                if receiver.on_result is not None:
                    receiver.on_result(result)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class DemoReporter:
    """Relay progress for the demo, as plain lines through ``say``."""

    def __init__(self, say: Callable[[str], None], ready: asyncio.Event) -> None:
        self.say = say
        self._ready = ready

    def ready(self, session: Any, ready: dict[str, Any]) -> None:
        self.say(f"  listening as {session.id}, signing secret {session.signing_secret[:12]}…")
        self._ready.set()

    def received(self, route: Any, event: Any) -> None:
        self.say(f"  --> {event.event_type} [{event.event_id}]")

    def shown(self, event: Any) -> None:
        self.received(None, event)

    def responded(self, route: Any, event: Any, answer: Any) -> None:
        attempt = answer.attempt
        self.say(f"  <-- [{attempt.status}] forwarded in {attempt.duration_ms:.0f} ms")

    def held(self, route: Any, count: int, reason: str) -> None:
        self.say(f"  ! the receiver can't be reached ({reason}); holding {count} event(s)")

    def released(self, route: Any, count: int) -> None:
        self.say("  ✓ the receiver is back")

    def disconnected(self, reason: str, retry_in: float) -> None:
        self.say(f"  ! disconnected ({reason}); retrying in {retry_in:.1f} s")

    def reconnected(self, pending: int) -> None:
        self.say("  ✓ reconnected")

    def stopping(self, sending: int, unfinished: int) -> None:
        pass

    def notice(self, message: str) -> None:
        self.say(f"  {message}")


def run_demo(say: Callable[[str], None]) -> bool:
    """Run the demo; ``True`` when every event arrived with a valid signature."""
    from cstar_cli.platform.runner import PlatformThread
    from cstar_cli.platform.settings import PlatformSettings

    started = time.monotonic()
    say("1. Starting a throwaway cStar platform (in memory)…")
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False, retry_scale=0.01)
    with PlatformThread(settings) as platform:
        say(f"   API at {platform.api_base}, team {platform.keys.team_id}")
        receiver = VerifyingReceiver()
        url = receiver.start()
        say(f"2. Started a receiver that verifies signatures at {url}")
        try:
            ok = asyncio.run(_loop(platform.api_base, platform.keys.secret_key, url, receiver, say))
        finally:
            receiver.stop()
    elapsed = time.monotonic() - started
    verified = sum(r.ok for r in receiver.results)
    say(f"5. Stopped everything after {elapsed:.1f} s: {verified} event(s) arrived verified.")
    return ok


async def _loop(
    api_base: str,
    key: str,
    url: str,
    receiver: VerifyingReceiver,
    say: Callable[[str], None],
) -> bool:
    from cstar_cli.client.clients import AsyncCstarClient
    from cstar_cli.listen.session import Listener, ListenOptions, open_session
    from cstar_cli.listen.targets import Route

    loop = asyncio.get_running_loop()
    arrived = asyncio.Event()
    expected = {
        "customer.created",
        "ticket.created",
        "boss.spawned",
        "ticket.closed",
        "boss.defeated",
    }

    def on_result(result: Verified) -> None:
        mark = "✓" if result.ok else "✗"
        say(f"     {mark} receiver: {result.event_type} {result.detail}")
        if expected <= {r.event_type for r in receiver.results if r.ok}:
            loop.call_soon_threadsafe(arrived.set)

    receiver.on_result = on_result
    async with AsyncCstarClient(key, api_base=api_base) as client:
        options = ListenOptions(
            routes=[Route(url)], events=sorted(expected), device_name="cstar-demo"
        )
        session = await open_session(client, options)
        receiver.secret = session.signing_secret
        say("3. Listening: events are relayed over a websocket to the receiver")
        ready = asyncio.Event()
        stop = asyncio.Event()
        listener = Listener(client, key, options, DemoReporter(say, ready))
        task = asyncio.create_task(listener.run(stop))
        try:
            await asyncio.wait_for(ready.wait(), DEMO_TIMEOUT)
            await _make_things_happen(client, say)
            await asyncio.wait_for(arrived.wait(), DEMO_TIMEOUT)
            return True
        except TimeoutError:
            say("   ✗ not every event arrived in time")
            return False
        finally:
            stop.set()
            await asyncio.wait_for(task, DEMO_TIMEOUT)


async def _make_things_happen(client: Any, say: Callable[[str], None]) -> None:
    """Real API calls: a customer, an urgent ticket, an SLA boss, and its defeat."""
    say("4. Making things happen through the API:")
    customer = await client.customers.create({"name": "Ada Lovelace", "email": "ada@example.com"})
    say(f"   created customer {customer['id']}")
    agents = (await client.members.list({"role": "agent"})).data
    ticket = await client.tickets.create(
        {
            "title": "Checkout is down",
            "priority": "urgent",
            "customerId": customer["id"],
            "assignedTo": agents[0]["id"],
        },
    )
    say(f"   opened urgent ticket {ticket['id']} for {agents[0]['name']} (15 min to respond)")
    await client.clock.advance(12 * 60)
    say("   moved the test clock 12 minutes on: the SLA is at risk and a boss appears")
    await client.tickets.update(ticket["id"], {"status": "closed"})
    say(f"   {agents[0]['name']} closed the ticket: the final blow")
