"""Forwarding one relayed event to a local endpoint, signed, byte for byte (D16).

One call is one attempt; what to do next (hold, retry, give up) is the route's decision
(:mod:`cstar_cli.listen.route`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from cstar_cli.client.delivery import delivery_headers
from cstar_cli.listen.http import (
    BROKEN,
    DROPPED,
    TIMEOUT,
    UNREACHABLE,
    LocalHttpClient,
    LocalHttpError,
)
from cstar_cli.wire.camel import camel_json
from cstar_cli.wire.times import ms_since


@dataclass(frozen=True)
class RelayEvent:
    """An event as the platform relays it (see docs/relay-protocol.md)."""

    seq: int
    delivery_id: str
    event_id: str
    event_type: str
    request_id: str | None
    payload: str
    route: str | None = None
    attempt: int = 1  # the X-Delivery-Attempt of its first try here (resends count on)
    resend: bool = False

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> RelayEvent:
        return cls(
            seq=int(raw.get("seq") or 0),
            delivery_id=str(raw.get("deliveryId") or raw["eventId"]),
            event_id=str(raw["eventId"]),
            event_type=str(raw["eventType"]),
            request_id=raw.get("requestId"),
            payload=str(raw["payload"]),
            route=raw.get("route"),
            attempt=int(raw.get("attempt") or 1),
            resend=bool(raw.get("resend")),
        )


@dataclass(frozen=True)
class Attempt:
    """One try at delivering an event: what the local endpoint made of it."""

    number: int  # the X-Delivery-Attempt it carried
    status: int | None
    duration_ms: float
    error: str | None
    kind: str  # "answered", or a failure kind of cstar_cli.listen.http
    body: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def unreachable(self) -> bool:
        """Nothing answered: the endpoint is down or restarting (its queue is held)."""
        return self.kind in (UNREACHABLE, DROPPED)

    @property
    def retryable(self) -> bool:
        """A 5xx, a timeout or a broken answer: worth a few more tries."""
        if self.kind in (TIMEOUT, BROKEN):
            return True
        return self.status is not None and self.status >= 500

    def as_ack(self) -> dict[str, Any]:
        """The attempt as the ``ack`` message reports it (its kind stays local)."""
        return camel_json(self, rename={"number": "attempt"}, omit={"kind"})


class Forwarder:
    """POSTs relayed events to one local endpoint with fresh signatures."""

    def __init__(
        self,
        url: str,
        secret: str,
        session_id: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
        verify_tls: bool = True,
        legacy_signature: bool = True,
        max_connections: int = 1,
    ) -> None:
        self.url = url
        self.secret = secret
        self.session_id = session_id
        self.extra_headers = headers or {}
        self.timeout = timeout
        self.legacy_signature = legacy_signature
        self._http = LocalHttpClient(
            url, timeout=timeout, verify_tls=verify_tls, max_idle=max_connections
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(self, event: RelayEvent, number: int) -> Attempt:
        """One attempt, signed now, carrying ``X-Delivery-Attempt: number``."""
        body = event.payload.encode()
        headers = delivery_headers(
            body,
            self.secret,
            event_type=event.event_type,
            event_id=event.event_id,
            subscription_id=self.session_id,
            attempt=number,
            request_id=event.request_id,
            legacy=self.legacy_signature,
            now=time.time(),
        )
        headers.update(self.extra_headers)
        started = time.perf_counter()
        try:
            answer = await self._http.post(body, headers)
        except LocalHttpError as err:
            message = str(err)
            if err.kind == UNREACHABLE and "refused" in message:
                message = "connection refused (is your server running?)"
            elif err.kind == TIMEOUT:
                message = f"no answer within {self.timeout:g} s"
            return Attempt(number, None, ms_since(started), message, err.kind)
        error = None if 200 <= answer.status < 300 else f"local endpoint answered {answer.status}"
        return Attempt(number, answer.status, ms_since(started), error, "answered", answer.body)
