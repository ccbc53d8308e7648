"""Settings of one local platform instance."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cstar_cli.wire.protocol import API_VERSION as API_VERSION  # the gateway's default version

DEFAULT_RATE_LIMITS: dict[str, int] = {"secret": 1000, "publishable": 100, "anonymous": 200}
"""Requests per hour: per key, and per IP address for key-less library readers (facts §1.4)."""
RATE_LIMIT_WINDOW_SECONDS = 3600
SUPPORTED_API_VERSIONS = (API_VERSION,)
MAX_BODY_BYTES = 1024 * 1024
PUBLIC_DOC_BASE = "https://www.cstar.help/developers/errors"


@dataclass(frozen=True)
class PlatformSettings:
    """How one platform instance behaves: where it stores data and which limits it enforces."""

    db_path: str = ":memory:"
    enforce_rate_limits: bool = True
    rate_limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    rate_limit_window: int = RATE_LIMIT_WINDOW_SECONDS
    retry_scale: float = 1.0
    request_logging: bool = True
    clock: Callable[[], float] = time.time
    delivery_budget: float = 10.0
    """Seconds one webhook delivery attempt may take in all (D13, D29)."""
    advance_wait: float = 60.0
    """Seconds a test clock advance waits for the deliveries it fired before it answers with
    ``pending: n`` (D37)."""
    loopback_deliveries_only: bool = False
    """Deliver webhooks to loopback addresses only (a guard for fuzz runs in CI)."""
    realtime_heartbeat: float = 15.0
    """Seconds between ``: ping`` comments on an idle realtime stream (D26)."""
    cors_origins: tuple[str, ...] = ()
    """Origins browsers may call the API from (D24); empty means any origin."""
