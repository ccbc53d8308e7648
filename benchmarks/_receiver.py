"""A fast webhook receiver for the benchmarks: a raw ASGI app under uvicorn, in its own process.

It records, per request, the ``X-Event-ID`` header, the arrival time (``time.monotonic()``, which
is system-wide on Linux, so comparable with the sender's clock) and a SHA-256 of the body.
``GET /results`` returns and clears them. Run: ``python benchmarks/_receiver.py PORT``.
"""

from __future__ import annotations

import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.pop(0)  # keep benchmarks/platform.py from shadowing the standard library

import hashlib
import json
import time
from typing import Any

RECORDS: list[tuple[str, float, str]] = []


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["method"] == "GET":
        payload = json.dumps(RECORDS).encode()
        RECORDS.clear()
    else:
        headers = dict(scope["headers"])
        event_id = headers.get(b"x-event-id", b"").decode()
        RECORDS.append((event_id, time.monotonic(), hashlib.sha256(body).hexdigest()))
        payload = b"{}"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": payload})


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
        http="httptools",
        lifespan="off",
    )
