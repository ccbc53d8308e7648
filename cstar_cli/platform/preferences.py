"""Team and member preferences as stored (D46), read by the services that follow them.

A team+environment without a stored row has the defaults (UTC, business hours 09:00–17:00 on
weekdays, the game on, ``normal`` priority); a member without one has theirs (every notification
on, the ``system`` theme, sound effects on). A reset (D33) deletes the rows, so the defaults
return. The game reads :func:`gamification_enabled` and :func:`timezone_of` on every ticket write:
one primary-key lookup each.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from cstar_cli.platform.store.db import Database, Row, dumps
from cstar_cli.platform.store.query import stored_or

DEFAULT_BUSINESS_HOURS: Final[dict[str, Any]] = {
    "enabled": False,
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "start": "09:00",
    "end": "17:00",
}
DEFAULT_NOTIFICATIONS: Final[dict[str, bool]] = {"email": True, "desktop": True, "mobile": True}


def team_row(db: Database, team_id: str, livemode: bool) -> Row:
    """The team's stored preferences, or the defaults (``updated_at`` None)."""
    scope = (team_id, int(livemode))
    defaults = {
        "team_id": team_id,
        "livemode": int(livemode),
        "timezone": "UTC",
        "business_hours": json.dumps(DEFAULT_BUSINESS_HOURS),
        "gamification_enabled": 1,
        "default_priority": "normal",
        "updated_at": None,
    }
    return stored_or(db, "team_preferences", "team_id = ? AND livemode = ?", scope, defaults)


def member_row(db: Database, member: Row) -> Row:
    """A member's stored preferences, or the defaults (``updated_at`` None)."""
    defaults = {
        "member_id": member["id"],
        "team_id": member["team_id"],
        "livemode": member["livemode"],
        "notifications": json.dumps(DEFAULT_NOTIFICATIONS),
        "theme": "system",
        "sound_effects": 1,
        "updated_at": None,
    }
    return stored_or(db, "member_preferences", "member_id = ?", (member["id"],), defaults)


def gamification_enabled(db: Database, team_id: str, livemode: bool) -> bool:
    """Whether the game runs for the team+environment (``gamificationEnabled``)."""
    return bool(team_row(db, team_id, livemode)["gamification_enabled"])


def default_priority(db: Database, team_id: str, livemode: bool) -> str:
    """The priority of a ticket created without one (``defaultPriority``)."""
    return str(team_row(db, team_id, livemode)["default_priority"])


def zone(name: str) -> tzinfo:
    """The ``tzinfo`` of an IANA name; ``UTC`` when the name is unknown here."""
    if name == "UTC":
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def is_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (``Europe/Berlin``, ``UTC``)."""
    if name == "UTC":
        return True
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.startswith("/") or ".." in name or not name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def timezone_of(db: Database, team_id: str, livemode: bool) -> tzinfo:
    """The team's time zone (days and weeks of quests and social limits follow it)."""
    return zone(str(team_row(db, team_id, livemode)["timezone"]))


def local(ts: float, tz: tzinfo) -> datetime:
    """A unix time (team clock) as a wall-clock time in ``tz``."""
    return datetime.fromtimestamp(ts, tz)


def store_team(
    db: Database, team_id: str, livemode: bool, values: dict[str, Any], stamp: str
) -> None:
    """Store the team's preferences (``values`` as :func:`team_row` reads them, snake_case)."""
    db.execute(
        "INSERT OR REPLACE INTO team_preferences (team_id, livemode, timezone, business_hours, "
        "gamification_enabled, default_priority, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            team_id,
            int(livemode),
            values["timezone"],
            dumps(values["business_hours"]),
            int(values["gamification_enabled"]),
            values["default_priority"],
            stamp,
        ),
    )


def store_member(db: Database, member: Row, values: dict[str, Any], stamp: str) -> None:
    """Store a member's preferences (``notifications``, ``theme``, ``sound_effects``)."""
    db.execute(
        "INSERT OR REPLACE INTO member_preferences (member_id, team_id, livemode, notifications, "
        "theme, sound_effects, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            member["id"],
            member["team_id"],
            member["livemode"],
            dumps(values["notifications"]),
            values["theme"],
            int(values["sound_effects"]),
            stamp,
        ),
    )
