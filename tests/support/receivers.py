"""A real local HTTP receiver for webhook and relay tests: records every request it gets."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.waiting import eventually


class ReceiverServer(ThreadingHTTPServer):
    allow_reuse_address = True
    # The stdlib default backlog of 5 refuses connections when the platform sends 64 at once.
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up: fine
            super().handle_error(request, client_address)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event(self) -> dict[str, Any]:
        """The body as the delivered event (JSON)."""
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    """Answers POSTs with ``status`` (or ``respond(request)``) after ``delay`` seconds."""

    status: int = 200
    delay: float = 0.0
    respond: Callable[[Received], int] | None = None
    requests: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        return self.start_on(0)

    def start_on(self, port: int) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                request = Received(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.time()
                )
                with receiver._lock:
                    receiver.requests.append(request)
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.respond(request) if receiver.respond else receiver.status
                payload = b'{"ok":true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ReceiverServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.requests)

    def wait_for(
        self, predicate: Callable[[list[Received]], bool], timeout: float = 5.0
    ) -> list[Received]:
        """Poll until ``predicate(requests)`` holds; fail with what arrived if it never does."""

        def explain(seen: list[Received]) -> str:
            kinds = Counter(
                (r.headers.get("x-event-type"), r.headers.get("x-delivery-attempt")) for r in seen
            )
            tally = dict(kinds.most_common(10))
            return f"got {len(seen)} requests (type, attempt → count): {tally}"

        return eventually(self.snapshot, predicate, timeout, every=0.01, explain=explain)

    def matching(
        self, predicate: Callable[[Received], bool], count: int = 1, timeout: float = 5.0
    ) -> list[Received]:
        """The requests matching ``predicate``, once there are ``count`` of them."""
        seen = self.wait_for(lambda rs: sum(map(predicate, rs)) >= count, timeout)
        return [r for r in seen if predicate(r)]

    def event_of_type(self, event_type: str, timeout: float = 5.0) -> dict[str, Any]:
        """The first delivered event of ``event_type``."""
        [first, *_] = self.matching(lambda r: r.event["type"] == event_type, timeout=timeout)
        return first.event

    def __enter__(self) -> Receiver:
        return self if self._server is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
