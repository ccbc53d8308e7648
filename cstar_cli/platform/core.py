"""One running platform: settings, storage, clock and the key registry, shared by every route."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from cstar_cli.platform import ids
from cstar_cli.platform.delivery.dispatcher import Dispatcher
from cstar_cli.platform.delivery.listen_hub import ListenHub
from cstar_cli.platform.delivery.listen_store import ListenStore
from cstar_cli.platform.delivery.outbox import Outbox
from cstar_cli.platform.faults.deliveries import DeliveryFaults
from cstar_cli.platform.faults.store import FaultStore
from cstar_cli.platform.http.auth import Principal, hash_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.idempotency import IdempotencyKeys
from cstar_cli.platform.http.keystreams import KeyStreams
from cstar_cli.platform.inspector.sessions import InspectorSessions
from cstar_cli.platform.logs.log import RequestLog
from cstar_cli.platform.realtime.hub import RealtimeHub
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.platform.store.db import Database
from cstar_cli.platform.store.vault import open_vault
from cstar_cli.platform.teamclock import TestClock
from cstar_cli.wire.keys import redact
from cstar_cli.wire.links import LOCAL_API_BASE, TeamLinks
from cstar_cli.wire.times import iso, parse_iso


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

    def peek(self, bucket_key: str, limit: int, now: float) -> tuple[int, int]:
        """``(remaining, reset)`` of a bucket, without counting a request."""
        window = self.settings.rate_limit_window
        bucket = self._buckets.get(bucket_key)
        if bucket is None or now >= bucket.window_start + window:
            return limit, int(now + window)
        return max(0, limit - bucket.count), int(bucket.window_start + window)

    def forget(self, bucket_keys: Iterable[str]) -> None:
        """Start these keys' counts afresh (a reset of their environment, D33)."""
        for bucket_key in bucket_keys:
            self._buckets.pop(bucket_key, None)


class Background(Protocol):
    """Background work that runs while the platform serves (the game timer, say)."""

    def start(self) -> None: ...
    async def stop(self) -> None: ...


class Platform:
    """Everything one platform instance owns. Routes reach it as ``request.app.state.platform``."""

    def __init__(self, settings: PlatformSettings) -> None:
        self.settings = settings
        self.db = Database(settings.db_path)
        self.vault = open_vault(self.db)
        self.test_clock = TestClock(self.db, settings.clock)  # D21: the one source of time
        self.key_streams = KeyStreams(self.test_clock.now)
        self.rate_limiter = RateLimiter(settings)
        self.dispatcher = Dispatcher(
            self.db,
            settings.clock,
            settings.retry_scale,
            self.vault,
            team_clock=self.test_clock,
            loopback_only=settings.loopback_deliveries_only,
            budget=settings.delivery_budget,
        )
        self.faults = FaultStore(self.db)  # D38
        self.dispatcher.faults = DeliveryFaults(self.dispatcher, self.faults, self.vault)
        self.outbox = Outbox(self.db)
        self.outbox.on_fan_out(self.dispatcher.fan_out_within)  # in the write's transaction
        self.outbox.on_commit(self.dispatcher.fan_out_now)  # committed events go out at once
        self.listen_store = ListenStore(self.db, settings.clock, self.vault, self.test_clock)
        self.listen_hub = ListenHub(self.listen_store)
        self.request_log = RequestLog(self.db, settings.clock)
        self.idempotency_keys = IdempotencyKeys(self.db, self.vault)
        self.dispatcher.on_fanout(self.listen_hub.fan_out)
        self.realtime = RealtimeHub(self.db)
        # the same fan-out wakes SSE (D26), from memory once the write has committed
        self.dispatcher.on_fanout(lambda events: partial(self.realtime.fan_out, events))
        self.background: list[Background] = []  # started and stopped with the platform
        self.inspector = InspectorSessions(self)  # D31: inspector links and sessions
        self._last_used_written: dict[str, float] = {}
        self._slugs: dict[str, str] = {}
        self.api_base = LOCAL_API_BASE
        """Where this platform serves, for the links in its payloads (``dashboard_url``, D31);
        set by whatever serves it (:mod:`.runner`) once the port is known."""
        self._secret_keys: dict[tuple[str, bool], list[str]] = {}
        # Requests that were running when the platform last stopped can never finish.
        with self.db.transaction():
            self.db.execute("DELETE FROM idempotency_keys WHERE state = 'in_progress'")

    # -- time ------------------------------------------------------------------------------
    def now(self, team_id: str | None = None, livemode: bool = True) -> float:
        """Current unix time; a test-mode team may have advanced its clock (D21)."""
        return self.test_clock.now(team_id, livemode)

    # -- keys ------------------------------------------------------------------------------
    def authenticate(self, key: str) -> Principal:
        """Resolve a well-formed key to its principal, or raise 401."""
        row = self.db.one(
            "SELECT id, team_id, livemode, type, name, expires_at, revoked_at FROM api_keys "
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
        now = self.now(row["team_id"], bool(row["livemode"]))  # a key lives on its team's clock
        if row["expires_at"] is not None and parse_iso(row["expires_at"]) <= now:
            raise ApiError(401, "key_expired", "This API key has expired. Use its replacement.")
        last = self._last_used_written.get(row["id"], 0.0)
        if abs(now - last) > 60:  # (a test clock set back counts as a new use too)
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
            expires_at=None if row["expires_at"] is None else parse_iso(row["expires_at"]),
            key_name=row["name"],
        )

    def secret_keys(self, team_id: str, livemode: bool) -> list[str]:
        """The team+environment's working secret keys, unsealed (identity HMACs use them, D18)."""
        scope = (team_id, livemode)
        keys = self._secret_keys.get(scope)
        if keys is None:
            rows = self.db.all(
                "SELECT secret_sealed, expires_at FROM api_keys WHERE team_id = ? AND "
                "livemode = ? AND type = 'secret' AND revoked_at IS NULL "
                "AND secret_sealed IS NOT NULL",
                (team_id, int(livemode)),
            )
            now = self.now(team_id, livemode)
            keys = self._secret_keys[scope] = [
                self.vault.decrypt(row["secret_sealed"])
                for row in rows
                if row["expires_at"] is None or parse_iso(row["expires_at"]) > now
            ]
            if any(row["expires_at"] is not None for row in rows):
                del self._secret_keys[scope]  # a grace period may end at any time: don't cache
        return keys

    def keys_changed(self, team_id: str) -> None:
        """A key of the team was created, revoked or rolled."""
        for scope in [scope for scope in self._secret_keys if scope[0] == team_id]:
            del self._secret_keys[scope]

    async def start(self) -> None:
        """Start the background work (webhook dispatcher); called from the app's lifespan."""
        await self.dispatcher.start()
        await self.request_log.start()
        await self.key_streams.start()
        for task in self.background:
            task.start()

    async def stop(self) -> None:
        self.realtime.close_all()
        await self.key_streams.stop()
        for task in reversed(self.background):
            await task.stop()
        await self.listen_hub.disconnect_all()
        await self.request_log.disconnect_all()
        await self.dispatcher.stop()
        await self.request_log.stop()

    def team_slug(self, team_id: str) -> str:
        """The team's slug (for ``dashboard_url``); teams never change theirs here."""
        slug = self._slugs.get(team_id)
        if slug is None:
            row = self.db.one("SELECT slug FROM teams WHERE id = ?", (team_id,))
            slug = self._slugs[team_id] = row["slug"] if row else "team"
        return slug

    def links(self, team_id: str) -> TeamLinks:
        """What the team's links in payloads are built from (``dashboard_url``, D31)."""
        return TeamLinks(self.team_slug(team_id), self.api_base)

    def key_owner(self, authorization: str | None) -> tuple[str, bool, str] | None:
        """``(team, livemode, redacted key)`` of a known key, even a revoked or expired one."""
        from cstar_cli.platform.http.auth import bearer_key

        try:
            key = bearer_key(authorization)
        except ApiError:
            return None
        row = self.db.one(
            "SELECT team_id, livemode FROM api_keys WHERE key_hash = ?", (hash_key(key),)
        )
        if row is None:
            return None
        return row["team_id"], bool(row["livemode"]), redact(key)

    def close(self) -> None:
        self.db.close()
