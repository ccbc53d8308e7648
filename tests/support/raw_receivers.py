"""A webhook receiver on a raw socket, for tests that need to break HTTP on purpose: each
request is read whole, then ``behave`` answers it (or does not) byte by byte."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable

Behaviour = Callable[[socket.socket], None]


class RawReceiver:
    """Accepts connections on 127.0.0.1 and lets ``behave`` answer (or not) each one."""

    def __init__(self, behave: Behaviour) -> None:
        self.behave = behave
        self.requests = 0
        self.sent = 0
        self.finished = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/hooks"

    def _serve(self) -> None:
        with self._sock:
            while not self._stop.is_set():
                try:
                    conn, _ = self._sock.accept()
                except OSError:
                    return
                with conn:
                    read_request(conn)
                    self.requests += 1
                    try:
                        self.behave(conn)
                    except OSError:
                        pass  # the platform gave up on us: that is the point
                    finally:
                        self.finished.set()

    def send(self, conn: socket.socket, data: bytes) -> None:
        """Send ``data``, counting it in :attr:`sent`."""
        conn.sendall(data)
        self.sent += len(data)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()

    def __enter__(self) -> RawReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_request(conn: socket.socket) -> None:
    """Read one HTTP request, head and body (by its Content-Length), or until the peer hangs up."""
    with conn.makefile("rb") as stream:
        stream.readline()  # the request line
        headers = http.client.parse_headers(stream)
        stream.read(int(headers.get("Content-Length", 0)))
