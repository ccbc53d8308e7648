"""``CstarClient`` (sync) and ``AsyncCstarClient`` over one base (:mod:`.base`).

Example::

    from cstar_cli.client import CstarClient

    with CstarClient("sk_test_…", api_base="http://127.0.0.1:8642") as cstar:
        ticket = cstar.tickets.create({"title": "Printer on fire", "priority": "urgent"})
        for t in cstar.tickets.iter_all({"status": "open"}):
            print(t["id"], t["title"])

    async with AsyncCstarClient("sk_test_…") as cstar:        # the same resources, awaited
        ticket = await cstar.tickets.create({"title": "Printer on fire"})
        async for t in cstar.tickets.iter_all({"status": "open"}):
            ...

Every write carries an ``Idempotency-Key`` (fresh per call unless given) that is reused on the
client's own retries. Connection errors, 429 (``Retry-After`` honoured up to a cap) and
502/503/504 are retried with exponential backoff and jitter. Pass ``transport=`` (any httpx
transport) to test without a network.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from cstar_cli.client.base import WHOAMI_PATH, ClientBase, ClientSettings, RequestOptions, to_httpx
from cstar_cli.client.errors import CstarAPIError
from cstar_cli.client.requests import ApiResponse, Page, RequestSpec
from cstar_cli.client.resources import Call, Resource

if TYPE_CHECKING:
    import httpx

    from cstar_cli.client.realtime import RealtimeOptions, RealtimeStream


class CstarClient(ClientBase):
    """Synchronous cStar API client (the other settings: :class:`ClientSettings`)."""

    def __init__(
        self,
        api_key: str | None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **settings: Unpack[ClientSettings],
    ) -> None:
        import httpx

        super().__init__(api_key, **settings)
        self._sleep = sleep
        self._http = httpx.Client(transport=transport, timeout=self._timeout)

    def __enter__(self) -> CstarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> ApiResponse:
        """Send one request (retried as the policy allows) and return the parsed envelope."""
        return self._send(self._spec(method, path, **options))

    def _send(self, spec: RequestSpec) -> ApiResponse:
        attempt = 0
        while True:
            start = time.monotonic()
            outcome: httpx.Response | Exception
            try:
                outcome = self._http.send(to_httpx(self._http, spec))
            except Exception as err:
                outcome = err
            settled = self._settle(spec, attempt, start, outcome)
            if isinstance(settled, ApiResponse):
                return settled
            self._sleep(settled)
            attempt += 1

    def whoami(self) -> dict[str, Any]:
        """Who the key belongs to: ``teamId``, ``teamName``, ``keyType``, ``environment``…"""
        return self._remember_team(self.request("GET", WHOAMI_PATH).data)

    def team_now(self) -> float:
        """The team's time (unix seconds), what relative windows (``--since 10m``, "this week")
        count back from (D37): a test key's team may have moved its test clock (D21). A live
        key, or an API without a test clock, gets this machine's time."""
        if not self.may_move_time:
            return time.time()
        try:
            return clock_time(self.clock.show())
        except (CstarAPIError, LookupError, TypeError, ValueError):
            return time.time()

    def team_path(self, *parts: str) -> str:
        """``/api/v1/teams/{teamId}/…``; asks ``whoami`` for the team id when it is unknown."""
        if self.team_id is None:
            self.whoami()
        return self._team_path(*parts)

    def _call(self, call: Call) -> Any:
        response = self._send(self._call_spec(call, self.team_path(*call.parts)))
        return self._answer(call, response)

    def realtime(
        self, events: Sequence[str] | None = None, **options: Unpack[RealtimeOptions]
    ) -> RealtimeStream:
        """Live events (D26) as an iterator that reconnects and resumes by itself.

        ``events`` takes webhook patterns (``["ticket.*", "boss.defeated"]``); ``last_event_id``
        resumes after that event; ``headers`` may carry an identity (``X-Cstar-Identity``…).
        ``on_connect(n)`` runs when connection number ``n`` opens, ``on_disconnect(reason,
        retry_in)`` before each reconnect. See :mod:`cstar_cli.client.realtime`.
        """
        from cstar_cli.client.realtime import RealtimeStream

        url = self.api_base + self.team_path("realtime")
        return RealtimeStream(self._http, url, self.api_key, events=events, **options)

    def _iterate(
        self, resource: Resource, params: Mapping[str, Any] | None, size: int
    ) -> Iterator[dict[str, Any]]:
        query = {"pageSize": size, **(params or {}), "page": 1}
        while True:
            page: Page = resource.list(query)
            yield from page.data
            if not page.has_more or not page.data:
                return
            query["page"] = int(query["page"]) + 1


class AsyncCstarClient(ClientBase):
    """Asynchronous cStar API client: the same requests, awaited.

    Example::

        async with AsyncCstarClient("sk_test_…") as cstar:
            async for ticket in cstar.tickets.iter_all({"status": "open"}):
                ...
    """

    def __init__(
        self,
        api_key: str | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        **settings: Unpack[ClientSettings],
    ) -> None:
        import httpx

        super().__init__(api_key, **settings)
        self._sleep = sleep
        self._http = httpx.AsyncClient(transport=transport, timeout=self._timeout)

    async def __aenter__(self) -> AsyncCstarClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self, method: str, path: str, **options: Unpack[RequestOptions]
    ) -> ApiResponse:
        """Send one request (retried as the policy allows) and return the parsed envelope."""
        return await self._send(self._spec(method, path, **options))

    async def _send(self, spec: RequestSpec) -> ApiResponse:
        attempt = 0
        while True:
            start = time.monotonic()
            outcome: httpx.Response | Exception
            try:
                outcome = await self._http.send(to_httpx(self._http, spec))
            except Exception as err:
                outcome = err
            settled = self._settle(spec, attempt, start, outcome)
            if isinstance(settled, ApiResponse):
                return settled
            await self._sleep(settled)
            attempt += 1

    async def whoami(self) -> dict[str, Any]:
        return self._remember_team((await self.request("GET", WHOAMI_PATH)).data)

    async def team_now(self) -> float:
        """The team's time (see :meth:`CstarClient.team_now`)."""
        if not self.may_move_time:
            return time.time()
        try:
            return clock_time(await self.clock.show())
        except (CstarAPIError, LookupError, TypeError, ValueError):
            return time.time()

    async def team_path(self, *parts: str) -> str:
        if self.team_id is None:
            await self.whoami()
        return self._team_path(*parts)

    async def _call(self, call: Call) -> Any:
        response = await self._send(self._call_spec(call, await self.team_path(*call.parts)))
        return self._answer(call, response)

    async def _iterate(
        self, resource: Resource, params: Mapping[str, Any] | None, size: int
    ) -> AsyncIterator[dict[str, Any]]:
        query = {"pageSize": size, **(params or {}), "page": 1}
        while True:
            page: Page = await resource.list(query)
            for item in page.data:
                yield item
            if not page.has_more or not page.data:
                return
            query["page"] = int(query["page"]) + 1


def clock_time(shown: Any) -> float:
    """The ``now`` of a test clock (``GET /test-helpers/clock``) as unix seconds."""
    from cstar_cli.wire.times import parse_iso

    return parse_iso(str(shown["now"]))
