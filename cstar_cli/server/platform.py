"""One running platform: settings, storage, clock and the key registry, shared by every route."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cstar_cli.server import ids
from cstar_cli.server.auth import Principal, hash_key, redact
from cstar_cli.server.clock import iso, parse_iso
from cstar_cli.server.db import Database, Row
from cstar_cli.server.dispatch import Dispatcher
from cstar_cli.server.errors import ApiError
from cstar_cli.server.settings import PlatformSettings


@dataclass
class _Bucket:
    window_start: float
    count: int


class RateLimiter:
    """A fixed one-hour window per key (D6); counts are kept in memory."""

    def __init__(self, settings: PlatformSettings) -> None:
        self.settings = settings
        self._buckets: dict[str, _Bucket] = {}

    def hit(self, bucket_key: str, limit: int, now: float) -> tuple[int, int, int, bool]:
        """Count one request; return ``(limit, remaining, reset, allowed)``."""
        window = self.settings.rate_limit_window
        bucket = self._buckets.get(bucket_key)
        if bucket is None or now >= bucket.window_start + window:
            bucket = _Bucket(now, 0)
            self._buckets[bucket_key] = bucket
        reset = int(bucket.window_start + window)
        allowed = bucket.count < limit or not self.settings.enforce_rate_limits
        if allowed:
            bucket.count += 1
        return limit, max(0, limit - bucket.count), reset, allowed


class Platform:
    """Everything one platform instance owns. Routes reach it as ``request.app.state.platform``."""

    def __init__(self, settings: PlatformSettings) -> None:
        self.settings = settings
        self.db = Database(settings.db_path)
        self.rate_limiter = RateLimiter(settings)
        self.dispatcher = Dispatcher(self.db, settings.clock, settings.retry_scale)
        self._clock_offsets: dict[tuple[str, bool], float] = {}
        self._last_used_written: dict[str, float] = {}
        # Requests that were running when the platform last stopped can never finish.
        with self.db.transaction():
            self.db.execute("DELETE FROM idempotency_keys WHERE state = 'in_progress'")

    # -- time ------------------------------------------------------------------------------
    def now(self, team_id: str | None = None, livemode: bool = True) -> float:
        """Current unix time; a test-mode team may have advanced its clock (D21)."""
        base = self.settings.clock()
        if team_id is None:
            return base
        return base + self._clock_offsets.get((team_id, livemode), 0.0)

    def now_iso(self, principal: Principal | None = None) -> str:
        if principal is None:
            return iso(self.now())
        return iso(self.now(principal.team_id, principal.livemode))

    # -- keys ------------------------------------------------------------------------------
    def authenticate(self, key: str) -> Principal:
        """Resolve a well-formed key to its principal, or raise 401."""
        row = self.db.one(
            "SELECT id, team_id, livemode, type, expires_at, revoked_at FROM api_keys "
            "WHERE key_hash = ?",
            (hash_key(key),),
        )
        if row is None or row["revoked_at"] is not None:
            raise ApiError(
                401,
                "invalid_api_key",
                "Invalid API key: it does not exist or was revoked. "
                "Check the key, or create a new one with 'cstar keys create'.",
            )
        now = self.now()
        if row["expires_at"] is not None and parse_iso(row["expires_at"]) <= now:
            raise ApiError(401, "key_expired", "This API key has expired. Use its replacement.")
        last = self._last_used_written.get(row["id"], 0.0)
        if now - last > 60:
            self._last_used_written[row["id"]] = now
            self.db.execute(
                "UPDATE api_keys SET last_used_at = ? WHERE id = ?", (iso(now), row["id"])
            )
        return Principal(
            key_id=ids.KEY + row["id"],
            team_id=row["team_id"],
            key_type=row["type"],
            livemode=bool(row["livemode"]),
            redacted_key=redact(key),
        )

    async def start(self) -> None:
        """Start the background work (webhook dispatcher); called from the app's lifespan."""
        await self.dispatcher.start()

    async def stop(self) -> None:
        await self.dispatcher.stop()

    def listen_subscribers(self, principal: Principal, event_type: str) -> int:
        """How many listen sessions an event of this type reaches (the relay adds them)."""
        return 0

    def resend_to_session(self, principal: Principal, event: Row, session_id: str) -> int:
        """Queue an event again for one listen session (the relay adds this)."""
        raise ApiError.not_found("listen session", session_id)

    def resend_to_sessions(self, principal: Principal, event: Row) -> int:
        """Queue an event again for every matching listen session (the relay adds this)."""
        return 0

    def written(self) -> None:
        """A write request finished: its events may be waiting in the outbox."""
        self.dispatcher.wake()

    def close(self) -> None:
        self.db.close()


def monotonic_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)
