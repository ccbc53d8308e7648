"""Forwarding one relayed event to the local endpoint, signed, byte for byte (D16)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cstar_cli.api.delivery import delivery_headers
from cstar_cli.relay.http import LocalHttpClient, LocalHttpError

RETRY_BASE = 0.5
RETRY_CAP = 10.0


@dataclass(frozen=True)
class RelayEvent:
    """An event as the platform relays it (see docs/relay-protocol.md)."""

    seq: int
    delivery_id: str
    event_id: str
    event_type: str
    request_id: str | None
    payload: str

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> RelayEvent:
        return cls(
            seq=int(raw["seq"]),
            delivery_id=str(raw["deliveryId"]),
            event_id=str(raw["eventId"]),
            event_type=str(raw["eventType"]),
            request_id=raw.get("requestId"),
            payload=str(raw["payload"]),
        )


@dataclass(frozen=True)
class ForwardResult:
    """What the local endpoint made of an event, after any retries."""

    status: int | None
    duration_ms: float
    error: str | None
    attempts: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class InvalidForwardTarget(ValueError):
    """``--forward-to`` is not something we can POST to."""


def parse_forward_to(value: str) -> str:
    """``3000`` → ``http://localhost:3000``, ``/hooks`` → ``http://localhost/hooks``, URLs as is."""
    text = value.strip()
    if text.isdigit():
        port = int(text)
        if not 0 < port < 65536:
            raise InvalidForwardTarget(f"{value!r} is not a valid port (1-65535).")
        return f"http://localhost:{port}"
    if text.startswith("/"):
        return f"http://localhost{text}"
    if "://" not in text and text.split("/")[0].count(":") == 1:
        text = "http://" + text  # localhost:3000/hooks
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidForwardTarget(
            f"{value!r} is not a URL to forward to. Use a port (3000), a path (/webhooks) "
            "or a URL (http://localhost:3000/webhooks)."
        )
    try:
        _ = parts.port
    except ValueError:
        raise InvalidForwardTarget(f"{value!r} has an invalid port.") from None
    return text


def retry_delay(attempt: int) -> float:
    """Jittered exponential backoff for local retries: ~0.5 s, 1 s, 2 s, 4 s, 8 s."""
    base: float = min(RETRY_CAP, RETRY_BASE * 2 ** (attempt - 1))
    return base * random.uniform(0.8, 1.2)


class Forwarder:
    """POSTs relayed events to the local endpoint with fresh signatures and retries."""

    def __init__(
        self,
        url: str,
        secret: str,
        session_id: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
        retries: int = 5,
        verify_tls: bool = True,
        legacy_signature: bool = True,
        max_connections: int = 16,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.url = url
        self.secret = secret
        self.session_id = session_id
        self.extra_headers = headers or {}
        self.timeout = timeout
        self.retries = retries
        self.legacy_signature = legacy_signature
        self._sleep = sleep
        self._http = LocalHttpClient(
            url, timeout=timeout, verify_tls=verify_tls, max_idle=max_connections
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def forward(self, event: RelayEvent) -> ForwardResult:
        """Deliver one event; retry refusals, timeouts and 5xx; return the final outcome."""
        body = event.payload.encode()
        attempt = 0
        while True:
            attempt += 1
            headers = delivery_headers(
                body,
                self.secret,
                event_type=event.event_type,
                event_id=event.event_id,
                subscription_id=self.session_id,
                attempt=attempt,
                request_id=event.request_id,
                legacy=self.legacy_signature,
                now=time.time(),
            )
            headers.update(self.extra_headers)
            started = time.perf_counter()
            status: int | None = None
            try:
                status = await self._http.post(body, headers)
                error = None if 200 <= status < 300 else f"local endpoint answered {status}"
            except LocalHttpError as err:
                if err.refused:
                    error = "connection refused (is your server running?)"
                elif err.timeout:
                    error = f"local endpoint did not answer within {self.timeout:g} s"
                else:
                    error = str(err)
            duration = round((time.perf_counter() - started) * 1000, 2)
            retryable = status is None or status >= 500
            if error is None or not retryable or attempt > self.retries:
                return ForwardResult(status, duration, error, attempt)
            await self._sleep(retry_delay(attempt))
