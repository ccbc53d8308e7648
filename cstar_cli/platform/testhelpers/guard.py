"""The one refusal every ``/test-helpers`` route gives a live key (D5, D21, D33)."""

from __future__ import annotations

from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError

LIVE_REFUSED = (
    "Test helpers are available in test mode only. Use a test key (sk_test_...): "
    "live data cannot be reset, and live time cannot be moved."
)


def test_mode_only(principal: Principal) -> None:
    """403 ``insufficient_permissions`` for a live key."""
    if principal.livemode:
        raise ApiError.forbidden("insufficient_permissions", LIVE_REFUSED)
