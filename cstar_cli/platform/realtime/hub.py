"""Realtime streams (D26): the platform side of ``GET /realtime``, Server-Sent Events.

Streams share the dispatcher's in-process fan-out with webhooks and listen — one mechanism:
:meth:`RealtimeHub.fan_out` is a fan-out hook's hand-off (``dispatcher.on_fanout``): right after
the write that recorded the events commits, it hands each event to the streams of its team and
environment from memory (issue 25) and wakes them. Each stream keeps its own resume point: the
``seq`` of the last event it went past. A stream that connects with ``Last-Event-ID``, or falls
more than ``BUFFER`` events behind (a slow reader), reads from the events table after that point
until it has caught up, then takes events live again — so nothing is lost or sent twice.

What a stream may see of an event is its *view* (``realtime_view``). How it is written to the
wire is ``routes/realtime.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cstar_cli.platform.store.db import Database, Row

BUFFER = 1000  # live events a stream may hold before it reads from the table instead
BATCH = 500  # events read from the table at a time
View = Callable[[Row], str | None]


@dataclass(eq=False)
class Stream:
    """One connected realtime stream."""

    team_id: str
    livemode: int
    view: View
    after: int
    """The ``seq`` of the last event this stream went past (sent, or not for it)."""
    behind: bool = False
    """True while it reads from the events table (resuming, or after falling behind)."""
    live: list[Row] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    ending: dict[str, Any] | None = None
    """The error to end with (its key was revoked or expired, D28)."""
    closed: bool = False

    async def idle(self, seconds: float) -> bool:
        """Wait for the stream to be woken (an event, an ending, a close): ``False`` when
        ``seconds`` passed first, so a heartbeat is due."""
        self.wake.clear()
        try:
            async with asyncio.timeout(seconds):
                await self.wake.wait()
        except TimeoutError:
            return False
        return True


class RealtimeHub:
    """The realtime streams of one platform."""

    def __init__(self, db: Database, *, buffer: int = BUFFER, batch: int = BATCH) -> None:
        self.db = db
        self.buffer = buffer
        self.batch = batch
        self._streams: dict[tuple[str, int], set[Stream]] = {}
        self.closing = False

    def open(self, team_id: str, livemode: bool, view: View, after_event: str | None) -> Stream:
        """Register a stream: live from now, or resuming after ``after_event`` (an event id).

        Raises ``LookupError`` when that event is not one of this team and environment.
        """
        scope = (team_id, int(livemode))
        if after_event is None:
            newest = self.db.one("SELECT COALESCE(MAX(seq), 0) AS seq FROM events")
            stream = Stream(team_id, int(livemode), view, int(newest["seq"] if newest else 0))
        else:
            row = self.db.one(
                "SELECT seq FROM events WHERE id = ? AND team_id = ? AND livemode = ?",
                (after_event, *scope),
            )
            if row is None:
                raise LookupError(after_event)
            stream = Stream(team_id, int(livemode), view, int(row["seq"]), behind=True)
        stream.closed = self.closing
        self._streams.setdefault(scope, set()).add(stream)
        return stream

    def close(self, stream: Stream) -> None:
        stream.closed = True
        streams = self._streams.get((stream.team_id, stream.livemode))
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del self._streams[(stream.team_id, stream.livemode)]

    def count(self) -> int:
        return sum(len(streams) for streams in self._streams.values())

    # -- the fan-out's hand-off (right after the write commits) ------------------------------
    def fan_out(self, events: list[Row]) -> None:
        """Hand each committed event to the streams of its team and environment; wake them."""
        if not self._streams:
            return
        woken: set[Stream] = set()
        for event in events:
            for stream in self._streams.get((event["team_id"], event["livemode"]), ()):
                if stream.behind:
                    woken.add(stream)  # it will read this one from the table
                    continue
                stream.live.append(event)
                if len(stream.live) > self.buffer:
                    stream.live.clear()
                    stream.behind = True
                woken.add(stream)
        for stream in woken:
            stream.wake.set()

    def next_batch(self, stream: Stream) -> list[tuple[Row, str]]:
        """The next events to send, with the payload the stream's view allows, in order."""
        if stream.behind:
            rows = self.db.all(
                "SELECT * FROM events WHERE team_id = ? AND livemode = ? AND fan_out = 1 "
                "AND seq > ? ORDER BY seq LIMIT ?",
                (stream.team_id, stream.livemode, stream.after, self.batch),
            )
            if len(rows) < self.batch:
                stream.behind = False  # caught up: what commits from now on comes live
        else:
            rows, stream.live = stream.live, []
        batch: list[tuple[Row, str]] = []
        for row in rows:
            if row["seq"] <= stream.after:
                continue  # read from the table already, then handed over live as well
            stream.after = row["seq"]
            payload = stream.view(row)
            if payload is not None:
                batch.append((row, payload))
        return batch

    def drop_pending(self, team_id: str, livemode: bool) -> None:
        """Forget the events handed to an environment's streams but not sent yet (a reset,
        D33): the streams stay open and go on with what comes next."""
        for stream in self._streams.get((team_id, int(livemode)), ()):
            stream.live.clear()

    def end(self, stream: Stream, error: dict[str, Any]) -> None:
        """End a stream with an error event (its key stopped working)."""
        stream.ending = error
        stream.wake.set()

    def close_all(self) -> None:
        """The platform is stopping: end every stream, and any that opens from now on."""
        self.closing = True
        self.disconnect_all()

    def disconnect_all(self) -> None:
        """End every open stream; clients reconnect (tests use this to simulate drops)."""
        for streams in self._streams.values():
            for stream in streams:
                stream.closed = True
                stream.wake.set()
