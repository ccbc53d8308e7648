"""The test clock (D21): show, advance and reset the caller's team's clock, in test mode only.

Advancing fires everything that became due (D37) before it answers: the game catches up (bosses
spawn and escape, :mod:`..game.timer`), streams of keys whose grace period ended close, and every
webhook attempt that fell due — retries scheduled meanwhile included — is sent and recorded in due
order, each stamped with its due time (:meth:`..delivery.dispatcher.Dispatcher.advance`). After
``advance_wait`` seconds (60) it answers with ``pending: n`` and the rest goes on. Resetting
fires and moves nothing."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.audit.trail import audit
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

    def _shown(self, advanced: float, pending: int = 0) -> dict[str, Any]:
        platform, principal = self.platform, self.principal
        offset = platform.now(principal.team_id, False) - platform.now()
        return {
            "object": "test_clock",
            "environment": "test",
            "now": iso(platform.now(principal.team_id, principal.livemode)),
            "offsetSeconds": round(offset, 3),
            "advancedBy": advanced,
            "pending": pending,
        }

    def show(self) -> dict[str, Any]:
        test_mode_only(self.principal)
        return self._shown(0)

    async def advance(self, seconds: float) -> dict[str, Any]:
        """Move the clock ``seconds`` forward (at most ten years ahead in all) and fire what
        became due; ``pending`` counts the webhook attempts still being sent when the answer
        could wait no longer."""
        test_mode_only(self.principal)
        platform, team_id = self.platform, self.principal.team_id
        current = platform.test_clock.offset(team_id, False)
        if current + seconds > MAX_OFFSET_SECONDS:
            raise ApiError.invalid(
                "The test clock cannot run more than ten years ahead.", param="seconds"
            )

        def move() -> None:
            platform.test_clock.advance(team_id, False, float(seconds))
            evaluate_scope(platform, team_id, False, self.caller.request_id)
            platform.key_streams.expire_due()

        with self.caller.work.transaction():
            audit(self.caller, "test_clock.advanced", None, {"seconds": seconds})
        self.caller.work.settle()  # the firing waits on the network: hold nothing (D49)
        wait = platform.settings.advance_wait
        pending = await platform.dispatcher.advance((team_id, 0), move, wait=wait)
        return self._shown(seconds, pending)

    def reset(self) -> dict[str, Any]:
        """Set the clock back to real time; ``advancedBy`` is minus the offset it had."""
        test_mode_only(self.principal)
        before = self.platform.test_clock.offset(self.principal.team_id, False)
        with self.caller.work.transaction():
            audit(self.caller, "test_clock.reset", None, {"offsetSeconds": 0})
        self.platform.test_clock.set(self.principal.team_id, False, 0.0)
        return self._shown(-before)
