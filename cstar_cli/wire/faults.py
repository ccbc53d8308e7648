"""Faults on purpose (D38): what a fault may be, said once for the platform, the client and the
CLI."""

from __future__ import annotations

from typing import Literal, get_args

FaultOn = Literal["api", "deliveries"]
FaultStatus = Literal[429, 500, 502, 503, 504]
SignWith = Literal["wrong-secret", "old-secret"]

FAULT_ON: tuple[str, ...] = get_args(FaultOn)
FAULT_STATUSES: tuple[int, ...] = get_args(FaultStatus)
SIGN_WITH: tuple[str, ...] = get_args(SignWith)

FAULT_CODES = {
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
"""The error code a faulted answer carries, by status (D5's shape; ``type`` from the status)."""

DEFAULT_RETRY_AFTER = 1
"""Seconds a faulted 429 asks the caller to wait when the fault names none."""

REORDER_FLUSH_SECONDS = 2.0
"""A reorder window that is not full after this long is delivered as it stands (shuffled)."""

MAX_DELAY_MS = 60_000
"""The longest a fault may hold a request or a delivery back (a minute)."""

TEST_HELPERS_PREFIX = "/test-helpers"
"""Team-relative paths under this prefix never match an API fault."""
