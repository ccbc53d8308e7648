"""``POST /test-helpers/reset`` (D33): clear the caller's test environment in one call.

The data goes in one transaction (:mod:`.wipe`); the team, its seed members and its four seed
keys stay (the seed keys working again, with the same values, if a test revoked or rolled one),
and the test clock is back at real time. Then what the platform holds in memory for that
environment follows: rate-limit counts, the cached secret keys, attempts in flight for deleted
deliveries, streams of deleted keys, and whatever was queued for open streams and connected
listeners but not sent yet. Those connections stay open. The request log is emptied before the
reset's own entry is written, so the reset is the first entry of the new log.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.audit.trail import audit
from cstar_cli.platform.core import Platform
from cstar_cli.platform.testhelpers.guard import Helper
from cstar_cli.platform.testhelpers.wipe import Wiped, wipe
from cstar_cli.wire.times import iso


class Reset(Helper):
    """The reset of the caller's test environment."""

    def run(self) -> dict[str, Any]:
        """Clear the environment; ``{object: "reset", deleted: {resource: rows}}``."""
        deleted = reset_test_environment(self.platform, self.test_team())
        with self.caller.work.transaction():  # the first entry of the new audit log (D42)
            audit(self.caller, "test_environment.reset", None, {"deleted": sum(deleted.values())})
        return {"object": "reset", "deleted": deleted}


def reset_test_environment(
    platform: Platform, team_id: str, then: Callable[[], object] | None = None
) -> dict[str, int]:
    """Clear the team's test environment (see the module docstring); rows deleted per
    resource. ``then`` runs in the reset's own transaction, after the clearing: when it raises,
    nothing was reset (the import of a data file, D34)."""
    db = platform.db
    scope = (team_id,)
    keys = [
        row["id"]
        for row in db.all("SELECT id FROM api_keys WHERE team_id = ? AND livemode = 0", scope)
    ]
    pending = [
        row["id"]
        for row in db.all(
            "SELECT id FROM deliveries WHERE team_id = ? AND livemode = 0 AND status = 'pending'",
            scope,
        )
    ]
    sessions = [
        row["id"]
        for row in db.all(
            "SELECT id FROM listen_sessions WHERE team_id = ? AND livemode = 0", scope
        )
    ]
    now = platform.now()
    platform.request_log.flush()  # what was logged before the reset goes with the rest
    with db.transaction():
        wiped = wipe(db, team_id, iso(now), now)  # the clock's offset included
        if then is not None:
            then()
    platform.test_clock.set(team_id, False, 0.0)
    _forget_in_memory(platform, team_id, keys, pending, sessions, wiped)
    return wiped.deleted


def _forget_in_memory(
    platform: Platform,
    team_id: str,
    keys: list[str],
    pending: list[str],
    sessions: list[str],
    wiped: Wiped,
) -> None:
    platform.keys_changed(team_id)
    platform.rate_limiter.forget(ids.KEY + key for key in keys)
    platform.dispatcher.cancel(pending)
    for key in wiped.removed_keys:
        platform.key_streams.revoked(ids.KEY + key)  # a deleted key's streams end (D28)
    for key in wiped.restored_keys:
        if platform.key_streams.open_streams(ids.KEY + key):
            platform.key_streams.expire_at(ids.KEY + key, math.inf)  # no grace period ends now
    for session_id in sessions:
        connection = platform.listen_hub.connections.get(session_id)
        if connection is not None:
            connection.live.clear()
            for cursor in connection.routes.values():
                cursor.unacked.clear()
    platform.realtime.drop_pending(team_id, False)
    for subscriber in platform.request_log.subscribers:
        if subscriber.team_id == team_id and not subscriber.livemode:
            while not subscriber.queue.empty():
                subscriber.queue.get_nowait()
