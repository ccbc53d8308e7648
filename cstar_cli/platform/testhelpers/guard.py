"""The one refusal every ``/test-helpers`` route gives a live key (D5, D21, D33), and what a
test helper's service starts from."""

from __future__ import annotations

from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.service import Caller

TEST_SCOPE = "team_id = ? AND livemode = 0"
"""The rows of one team's test environment (its one parameter: the team id)."""
LIVE_REFUSED = (
    "Test helpers are available in test mode only. Use a test key (sk_test_...): "
    "live data cannot be reset, and live time cannot be moved."
)


def test_mode_only(principal: Principal) -> None:
    """403 ``insufficient_permissions`` for a live key."""
    if principal.livemode:
        raise ApiError.forbidden("insufficient_permissions", LIVE_REFUSED)


class Helper:
    """A test helper's service: the caller's platform, and its principal."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.platform = caller.platform
        self.principal = caller.principal

    def test_team(self) -> str:
        """The caller's team, whose test environment the helper works on; a live key is
        refused first (:func:`test_mode_only`)."""
        test_mode_only(self.principal)
        return self.principal.team_id
