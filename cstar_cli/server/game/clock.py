"""The test clock (D21): a per team+environment offset added to the platform's clock.

Offsets live in ``game_scopes.clock_offset`` so a restart keeps them; ``Platform.now()`` stays the
one source of time and reads them from memory (loaded at start, updated by :func:`advance`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cstar_cli.server.db import Database
from cstar_cli.server.game.sla import ensure_scope

if TYPE_CHECKING:
    from cstar_cli.server.platform import Platform

MAX_OFFSET_SECONDS = 10 * 366 * 86_400  # ten years: far enough for any scenario


def load_offsets(db: Database) -> dict[tuple[str, bool], float]:
    """Every stored clock offset, keyed like ``Platform._clock_offsets``."""
    rows = db.all("SELECT team_id, livemode, clock_offset FROM game_scopes WHERE clock_offset != 0")
    return {(r["team_id"], bool(r["livemode"])): float(r["clock_offset"]) for r in rows}


def advance(platform: Platform, team_id: str, livemode: bool, seconds: float) -> float:
    """Move one team+environment's clock forward; returns the new total offset."""
    with platform.db.transaction():
        offset = _offset(platform.db, team_id, livemode) + seconds
        _store(platform.db, team_id, livemode, offset)
    platform.set_clock_offset(team_id, livemode, offset)
    return offset


def reset(platform: Platform, team_id: str, livemode: bool) -> float:
    """Set one team+environment's clock back to real time; returns the offset it had.

    Nothing already stored is rewritten (D21): times recorded while it ran ahead stay ahead.
    """
    with platform.db.transaction():
        before = _offset(platform.db, team_id, livemode)
        _store(platform.db, team_id, livemode, 0.0)
    platform.set_clock_offset(team_id, livemode, 0.0)
    return before


def _offset(db: Database, team_id: str, livemode: bool) -> float:
    return float(ensure_scope(db, team_id, livemode)["clock_offset"])


def _store(db: Database, team_id: str, livemode: bool, offset: float) -> None:
    db.execute(
        "UPDATE game_scopes SET clock_offset = ? WHERE team_id = ? AND livemode = ?",
        (offset, team_id, int(livemode)),
    )
