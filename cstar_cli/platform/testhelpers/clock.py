"""The test clock (D21): show, advance and reset the caller's team's clock, in test mode only.
Advancing lets the game catch up at once (bosses spawn and escape, :mod:`..game.timer`)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.game.timer import evaluate_scope
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.service import Caller
from cstar_cli.platform.teamclock import MAX_OFFSET_SECONDS
from cstar_cli.platform.testhelpers.guard import test_mode_only
from cstar_cli.wire.times import iso


class Clock:
    """The test clock of the caller's team (the test environment's; live time never moves)."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.platform = caller.platform
        self.principal = caller.principal

    def _shown(self, advanced: float) -> dict[str, Any]:
        platform, principal = self.platform, self.principal
        offset = platform.now(principal.team_id, False) - platform.now()
        return {
            "object": "test_clock",
            "environment": "test",
            "now": iso(platform.now(principal.team_id, principal.livemode)),
            "offsetSeconds": round(offset, 3),
            "advancedBy": advanced,
        }

    def show(self) -> dict[str, Any]:
        test_mode_only(self.principal)
        return self._shown(0)

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move the clock ``seconds`` forward (at most ten years ahead in all), then evaluate the
        game at the new time."""
        test_mode_only(self.principal)
        team_id = self.principal.team_id
        current = self.platform.test_clock.offset(team_id, False)
        if current + seconds > MAX_OFFSET_SECONDS:
            raise ApiError.invalid(
                "The test clock cannot run more than ten years ahead.", param="seconds"
            )
        self.platform.test_clock.advance(team_id, False, float(seconds))
        evaluate_scope(self.platform, team_id, False, self.caller.request_id)
        return self._shown(seconds)

    def reset(self) -> dict[str, Any]:
        """Set the clock back to real time; ``advancedBy`` is minus the offset it had."""
        test_mode_only(self.principal)
        before = self.platform.test_clock.offset(self.principal.team_id, False)
        self.platform.test_clock.set(self.principal.team_id, False, 0.0)
        return self._shown(-before)
