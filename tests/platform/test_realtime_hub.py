"""The realtime hub in process: a slow stream falls back to the events table and loses nothing."""

from __future__ import annotations

from cstar_cli.platform.delivery.outbox import Outbox
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.realtime.hub import RealtimeHub, Stream
from cstar_cli.platform.store.db import Database, Row

TEAM = "00000000-0000-4000-8000-000000000001"
TEST = Principal("key_x", TEAM, "secret", False, "sk_test_…x")
LIVE = Principal("key_y", TEAM, "secret", True, "sk_live_…y")


def commit(db: Database, principal: Principal, count: int, start: int = 0) -> list[Row]:
    """``count`` events of ``principal``'s environment, committed; the rows as fanned out."""
    events = Outbox(db)
    with db.transaction():
        newest = db.one("SELECT COALESCE(MAX(seq), 0) AS s FROM events")
        for n in range(start, start + count):
            events.emit(principal, "ticket.created", {"n": n}, now=1.0 + n, request_id=None)
    return db.all(
        "SELECT * FROM events WHERE seq > ? ORDER BY seq", (newest["s"] if newest else 0,)
    )


def drain(hub: RealtimeHub, stream: Stream) -> list[int]:
    got: list[int] = []
    while True:
        batch = hub.next_batch(stream)
        got += [int(row["seq"]) for row, _ in batch]
        if not batch and not stream.behind:
            return got


def test_a_stream_that_falls_behind_reads_the_rest_from_the_table() -> None:
    db = Database(":memory:")
    hub = RealtimeHub(db, buffer=5, batch=4)
    stream = hub.open(TEAM, False, lambda row: row["payload"], None)
    fanned = commit(db, TEST, 3)
    hub.fan_out(fanned)
    assert stream.wake.is_set() and not stream.behind
    assert drain(hub, stream) == [r["seq"] for r in fanned]
    stream.wake.clear()
    burst = commit(db, TEST, 12, start=3)
    hub.fan_out(commit(db, LIVE, 2) + burst)  # another environment's events never reach it
    assert stream.behind and stream.live == []
    assert drain(hub, stream) == [r["seq"] for r in burst]  # all 12, in order, once
    later = commit(db, TEST, 1, start=20)
    hub.fan_out(later)
    assert drain(hub, stream) == [later[0]["seq"]]
    db.close()


def test_resuming_reads_from_the_table_then_dedupes_what_comes_live_too() -> None:
    db = Database(":memory:")
    hub = RealtimeHub(db)
    first = commit(db, TEST, 3)
    stream = hub.open(TEAM, False, lambda row: row["payload"], first[0]["id"])
    racing = commit(db, TEST, 2, start=3)  # committed, but not fanned out yet
    assert drain(hub, stream) == [r["seq"] for r in first[1:] + racing]
    hub.fan_out(racing)  # the fan-out catches up with what the stream already read
    assert drain(hub, stream) == []
    db.close()
