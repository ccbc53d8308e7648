"""The test clock (D21): a per team+environment offset added to the platform's clock.

The platform has one source of time, :meth:`TestClock.now`. A test-mode team may move its own
clock forward (``POST /test-helpers/clock/advance``) so SLA deadlines, bosses and streaks can be
exercised in seconds, and set it back (``…/reset``); nothing already stored is rewritten.
Offsets live in ``game_scopes.clock_offset`` so a restart keeps them, and are read from memory.

What runs on which clock (D37): a test-mode team's timers and stamps — webhook retries, rolled
keys' grace periods, idempotency keys' 24 h, every ``created_at`` of its data — follow
``now(team_id, livemode)``; signatures, identity freshness, rate limits, inspector links and
sessions, listen sessions' lifetime and retention follow ``now()``, real time.
"""

from __future__ import annotations

from collections.abc import Callable

from cstar_cli.platform.store.db import Database

MAX_OFFSET_SECONDS = 10 * 366 * 86_400  # ten years: far enough for any scenario


class TestClock:
    """Real time, plus each team+environment's offset."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, db: Database, base: Callable[[], float]) -> None:
        self.db = db
        self.base = base
        rows = db.all(
            "SELECT team_id, livemode, clock_offset FROM game_scopes WHERE clock_offset != 0"
        )
        self._offsets = {
            (r["team_id"], bool(r["livemode"])): float(r["clock_offset"]) for r in rows
        }

    def now(self, team_id: str | None = None, livemode: bool = True) -> float:
        """Unix time; for a team, with its test-clock offset (D21)."""
        if team_id is None:
            return self.base()
        return self.base() + self._offsets.get((team_id, livemode), 0.0)

    def offset(self, team_id: str, livemode: bool) -> float:
        return self._offsets.get((team_id, livemode), 0.0)

    @staticmethod
    def offset_sql(alias: str) -> str:
        """SQL for the offset of the scope of the row ``alias`` (a table with ``team_id`` and
        ``livemode``): ``scheduled_at - <this>`` is a team-time moment in real time."""
        return (
            "COALESCE((SELECT o.clock_offset FROM game_scopes o "
            f"WHERE o.team_id = {alias}.team_id AND o.livemode = {alias}.livemode), 0)"
        )

    def set(self, team_id: str, livemode: bool, offset: float) -> float:
        """Make a team+environment's offset ``offset`` seconds (stored); returns it."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO game_scopes (team_id, livemode, clock_offset) VALUES (?, ?, ?) "
                "ON CONFLICT(team_id, livemode) DO UPDATE SET clock_offset = excluded.clock_offset",
                (team_id, int(livemode), offset),
            )
        self._offsets[(team_id, livemode)] = offset
        return offset

    def advance(self, team_id: str, livemode: bool, seconds: float) -> float:
        """Move a team+environment's clock forward; returns the new total offset."""
        return self.set(team_id, livemode, self.offset(team_id, livemode) + seconds)
