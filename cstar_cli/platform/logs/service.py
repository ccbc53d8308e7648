"""What ``GET /logs`` and ``/logs/stream`` read (D17): the caller's request log entries, a page
of them or a live feed, filtered on the server and shown on the wire."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.logs.log import LogFilter, RequestLog, Subscriber, serialize
from cstar_cli.platform.resources.service import Caller
from cstar_cli.platform.store.query import Paging

REPLAY_BATCH = 500
SORTS = (None, "", "-createdAt", "createdAt")


class Logs:
    """The request log of the caller's team and environment."""

    def __init__(self, caller: Caller) -> None:
        self.principal = caller.principal
        self.log = caller.platform.request_log

    def list(self, flt: LogFilter, paging: Paging) -> Page:
        """One page of the entries ``flt`` picks, newest first unless ``sort=createdAt``."""
        flt = flt.for_team(self.principal.team_id)
        if paging.sort not in SORTS:
            raise ApiError.invalid("Logs sort by createdAt or -createdAt only.", param="sort")
        rows, total = self.log.query(
            self.principal.team_id,
            self.principal.livemode,
            flt,
            limit=paging.page_size,
            offset=(paging.page - 1) * paging.page_size,
            newest_first=paging.sort != "createdAt",
        )
        return Page([serialize(r) for r in rows], paging.page, paging.page_size, total)

    def follow(
        self, flt: LogFilter, after: int | None, close: Callable[[], Awaitable[None]]
    ) -> LogFeed:
        """A live feed of the entries ``flt`` picks after the entry ``after`` (``None``: new
        entries only), subscribed from now on; ``close`` ends its connection when the platform
        drops every stream."""
        return LogFeed(self.log, self.principal.team_id, self.principal.livemode, flt, after, close)


class LogFeed:
    """One ``/logs/stream`` subscription: the matching entries after :attr:`after` (a replay in
    batches), then new ones as they are recorded. :meth:`close` unsubscribes."""

    def __init__(
        self,
        log: RequestLog,
        team_id: str,
        livemode: bool,
        flt: LogFilter,
        after: int | None,
        close: Callable[[], Awaitable[None]],
    ) -> None:
        self.log = log
        self.team_id = team_id
        self.livemode = livemode
        self.filter = flt.for_team(team_id)
        self.after = log.last_seq() if after is None else after
        self.last = self.after
        self.subscriber = Subscriber(team_id, livemode, self.filter, close=close)
        log.subscribers.add(self.subscriber)

    def replay(self) -> Iterator[list[dict[str, Any]]]:
        """The stored entries after :attr:`after`, oldest first, a batch at a time."""
        while True:
            rows, _ = self.log.query(
                self.team_id,
                self.livemode,
                self.filter,
                after=self.last,
                limit=REPLAY_BATCH,
                newest_first=False,
            )
            if not rows:
                return
            self.last = rows[-1]["seq"]
            yield [serialize(r) for r in rows]

    async def next(self, until: asyncio.Task[None]) -> list[dict[str, Any]] | None:
        """The next entries recorded (none when all were seen already), or ``None`` once
        ``until`` (the client going away) is done."""
        if until.done():
            return None
        queue = self.subscriber.queue
        getter = asyncio.create_task(queue.get())
        done, _ = await asyncio.wait({getter, until}, return_when=asyncio.FIRST_COMPLETED)
        if getter not in done:
            getter.cancel()
            return None
        batch = [getter.result()]
        while not queue.empty():
            batch.append(queue.get_nowait())
        fresh = [e for e in batch if e["seq"] > self.last]
        if fresh:
            self.last = fresh[-1]["seq"]
        return [serialize(e) for e in fresh]

    def close(self) -> None:
        self.log.subscribers.discard(self.subscriber)
