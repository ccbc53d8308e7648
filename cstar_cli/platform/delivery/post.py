"""One webhook delivery attempt over HTTP (D13, D29): the 10 s budget, the capped answer, and
whatever goes wrong recorded as a failed attempt, never raised."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cstar_cli.platform.delivery.urls import Destination
from cstar_cli.wire.protocol import MAX_ANSWER_BYTES, SNIPPET_BYTES
from cstar_cli.wire.times import ms_since

if TYPE_CHECKING:
    import httpx

DELIVERY_TIMEOUT = 10.0


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt to deliver an event produced."""

    success: bool
    status: int | None
    duration_ms: float
    body: str | None
    error: str | None


async def post_event(
    client: httpx.AsyncClient,
    url: str,
    payload: bytes,
    headers: dict[str, str],
    where: Callable[[], Awaitable[Destination | str]] | None = None,
    budget: float = DELIVERY_TIMEOUT,
) -> AttemptResult:
    """POST one delivery; anything but a 2xx answer within the budget is a failure (D29).

    ``where`` says where the attempt connects (the checked address, D29) or why it must not
    start. The budget (10 s) is the whole attempt (resolve, connect, send, the answer's head and
    body); the answer is asked for uncompressed and at most ``MAX_ANSWER_BYTES`` of it are
    read — or inflated, from a receiver that compresses anyway (an answer that inflates past
    that is a failure). Whatever goes wrong — even a URL that cannot be sent to at all — is a failed
    attempt, never an exception.
    """
    import httpx

    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget):
            target = await where() if where is not None else Destination(url)
            if isinstance(target, str):
                return AttemptResult(False, None, ms_since(started), None, target)
            async with client.stream(
                "POST",
                target.url,
                content=payload,
                headers={**headers, "Accept-Encoding": "identity", **target.headers},
                extensions=target.extensions,
                timeout=budget,
            ) as response:
                answer = await _read_capped(response)
    except (TimeoutError, httpx.TimeoutException):
        return AttemptResult(False, None, ms_since(started), None, f"timeout after {budget:g} s")
    except httpx.HTTPError as err:
        return AttemptResult(False, None, ms_since(started), None, f"{type(err).__name__}: {err}")
    except Exception as err:  # a delivery that cannot even start (a bad URL, port 99999, …)
        return AttemptResult(
            False, None, ms_since(started), None, f"cannot deliver: {type(err).__name__}: {err}"
        )
    if answer is None:
        bomb = f"the answer inflates past {MAX_ANSWER_BYTES // 1024} KiB (refused to read it)"
        return AttemptResult(False, response.status_code, ms_since(started), None, bomb)
    snippet = answer[:SNIPPET_BYTES].decode("utf-8", "replace")
    ok = 200 <= response.status_code < 300
    error = None if ok else f"receiver answered {response.status_code}"
    return AttemptResult(ok, response.status_code, ms_since(started), snippet, error)


async def _read_capped(response: httpx.Response) -> bytes | None:
    """At most ``MAX_ANSWER_BYTES`` bytes of the answer, the rest never read; a compressed answer is
    inflated up to that much, and ``None`` when it would inflate past it (a decompression bomb
    never costs more than the cap)."""
    raw: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        raw.append(chunk)
        size += len(chunk)
        if size >= MAX_ANSWER_BYTES:
            break
    body = b"".join(raw)[:MAX_ANSWER_BYTES]
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    return _inflate(body, encoding)


def _inflate(body: bytes, encoding: str) -> bytes | None:
    """``body`` decompressed, at most ``MAX_ANSWER_BYTES`` bytes of it (``None`` past that, or when
    it can't be decompressed at all)."""
    import zlib

    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
    if encoding not in wbits:
        return body[:SNIPPET_BYTES]  # an encoding we don't speak: keep the bytes as they came
    try:
        inflater = zlib.decompressobj(wbits[encoding])
        inflated = inflater.decompress(body, MAX_ANSWER_BYTES)
    except zlib.error:
        return None
    if inflater.unconsumed_tail:
        return None
    return inflated
