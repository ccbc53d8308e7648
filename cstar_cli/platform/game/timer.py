"""The background game timer: bosses spawn and escape as time passes, not only on writes."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from cstar_cli.platform.background import cancel
from cstar_cli.platform.game.engine import Scope, evaluate, system_principal
from cstar_cli.platform.preferences import gamification_enabled
from cstar_cli.platform.work import Work

if TYPE_CHECKING:
    from cstar_cli.platform.core import Platform

log = logging.getLogger("cstar.platform.game")

TICK_SECONDS = 0.5


def tick(platform: Platform) -> int:
    """Evaluate every team+environment with something to watch; returns the events emitted."""
    db = platform.db
    scopes = db.all(
        "SELECT id AS team_id, livemode FROM teams, (SELECT 0 AS livemode UNION SELECT 1)"
    )
    emitted = 0
    for row in scopes:
        emitted += evaluate_scope(platform, row["team_id"], bool(row["livemode"]))
    return emitted


def evaluate_scope(
    platform: Platform, team_id: str, livemode: bool, request_id: str | None = None
) -> int:
    """One evaluation of one team+environment at its own (possibly advanced) time; none when
    the team turned the game off (``gamificationEnabled``, D46)."""
    if not gamification_enabled(platform.db, team_id, livemode):
        return 0
    work = Work(platform.db, platform.outbox)
    scope = Scope(
        work, system_principal(team_id, livemode), platform.now(team_id, livemode), request_id
    )
    with work.transaction():
        evaluate(scope)
    return scope.emitted


class GameTimer:
    """Runs :func:`tick` every :data:`TICK_SECONDS` on the platform's event loop."""

    def __init__(self, platform: Platform, interval: float = TICK_SECONDS) -> None:
        self.platform = platform
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="cstar-game-timer")

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                tick(self.platform)
            except Exception:  # the timer must survive anything one evaluation causes
                log.exception("game timer tick failed")
            await asyncio.sleep(self.interval)
