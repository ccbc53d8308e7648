"""Team and member preferences (D46): read with their defaults, changed by PATCH.

A PATCH that changes something stores the whole set and fires one event in the same
transaction: ``team.preferences_updated`` (``team``, ``preferences``, ``updated_by`` — null for an
API key —, ``changes``) or ``agent.preferences_updated`` (``member``, ``preferences``,
``changes``; notification switches appear in ``changes`` as ``email_notifications`` …, as the
catalogue's sample shows them). A PATCH that changes nothing answers the preferences and fires
nothing. ``timezone`` must be an IANA name this machine knows (``Europe/Berlin``, ``UTC``).
"""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.game.views import member_data
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.preferences import (
    is_timezone,
    member_row,
    store_member,
    store_team,
    team_row,
)
from cstar_cli.platform.resources.preferences.models import (
    MemberPreferencesUpdate,
    TeamPreferencesUpdate,
)
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.db import Row
from cstar_cli.wire.enums import WEEKDAYS


def team_values(row: Row) -> dict[str, Any]:
    """The team's preferences as values (snake_case names, as the events carry them)."""
    return {
        "timezone": row["timezone"],
        "business_hours": json.loads(row["business_hours"]),
        "gamification_enabled": bool(row["gamification_enabled"]),
        "default_priority": row["default_priority"],
    }


def member_values(row: Row) -> dict[str, Any]:
    return {
        "notifications": json.loads(row["notifications"]),
        "theme": row["theme"],
        "sound_effects": bool(row["sound_effects"]),
    }


def show_team(team_id: str, values: dict[str, Any], updated: str | None) -> dict[str, Any]:
    return {
        "object": "team_preferences",
        "teamId": team_id,
        "timezone": values["timezone"],
        "businessHours": values["business_hours"],
        "gamificationEnabled": values["gamification_enabled"],
        "defaultPriority": values["default_priority"],
        "updatedAt": updated,
    }


def show_member(member_id: str, values: dict[str, Any], updated: str | None) -> dict[str, Any]:
    return {
        "object": "member_preferences",
        "memberId": ids.MEMBER + member_id,
        "notifications": values["notifications"],
        "theme": values["theme"],
        "soundEffects": values["sound_effects"],
        "updatedAt": updated,
    }


def team_after(before: dict[str, Any], body: TeamPreferencesUpdate) -> dict[str, Any]:
    """The team's preferences once ``body`` applies (a 400 naming the field it can't)."""
    after = dict(before)
    if body.timezone is not None:
        if not is_timezone(body.timezone):
            raise ApiError.invalid(
                f"'{body.timezone}' is not an IANA time zone (e.g. Europe/Berlin, "
                "America/New_York, UTC).",
                param="timezone",
            )
        after["timezone"] = body.timezone
    if body.businessHours is not None:
        hours = {**before["business_hours"]}
        hours.update(body.businessHours.model_dump(exclude_none=True))
        hours["days"] = [d for d in WEEKDAYS if d in hours["days"]]
        if hours["start"] >= hours["end"]:
            raise ApiError.invalid(
                "businessHours.end must be later than businessHours.start.",
                param="businessHours.end",
            )
        after["business_hours"] = hours
    if body.gamificationEnabled is not None:
        after["gamification_enabled"] = body.gamificationEnabled
    if body.defaultPriority is not None:
        after["default_priority"] = body.defaultPriority
    return after


def member_after(before: dict[str, Any], body: MemberPreferencesUpdate) -> dict[str, Any]:
    """A member's preferences once ``body`` applies."""
    after = dict(before)
    if body.notifications is not None:
        switches = body.notifications.model_dump(exclude_none=True)
        after["notifications"] = {**before["notifications"], **switches}
    if body.theme is not None:
        after["theme"] = body.theme
    if body.soundEffects is not None:
        after["sound_effects"] = body.soundEffects
    return after


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: {"from": before[k], "to": after[k]} for k in after if after[k] != before[k]}


class Preferences(Service):
    """The preferences of the caller's team and environment, and of its members."""

    table = "team_preferences"
    prefix = ids.MEMBER
    param = "memberId"
    noun = "member"

    # -- the team ---------------------------------------------------------------------------------
    def team(self) -> dict[str, Any]:
        """``GET /team/preferences``."""
        row = team_row(self.db, self.principal.team_id, self.principal.livemode)
        return show_team(self.principal.team_id, team_values(row), row["updated_at"])

    def update_team(self, body: TeamPreferencesUpdate) -> dict[str, Any]:
        """``PATCH /team/preferences``: the fields given change; the rest stay."""
        team_id, livemode = self.principal.team_id, self.principal.livemode
        before = team_values(team_row(self.db, team_id, livemode))
        after = team_after(before, body)
        changes = _changes(before, after)
        if not changes:
            return self.team()
        stamp = self.stamp()
        with self.transaction() as db:
            store_team(db, team_id, livemode, after, stamp)
            team = db.one("SELECT name, slug FROM teams WHERE id = ?", (team_id,)) or {}
            self.emit(
                "team.preferences_updated",
                {
                    "team": {"id": team_id, "name": team.get("name"), "slug": team.get("slug")},
                    "preferences": after,
                    "updated_by": None,
                    "changes": changes,
                },
            )
        return show_team(team_id, after, stamp)

    # -- a member ---------------------------------------------------------------------------------
    def _member(self, member_id: str) -> Row:
        row = self.row("members", ids.parse(member_id, ids.MEMBER, "memberId"))
        if row is None:
            raise ApiError.not_found("member", member_id)
        return row

    def member(self, member_id: str) -> dict[str, Any]:
        """``GET /members/{id}/preferences``."""
        member = self._member(member_id)
        row = member_row(self.db, member)
        return show_member(member["id"], member_values(row), row["updated_at"])

    def update_member(self, member_id: str, body: MemberPreferencesUpdate) -> dict[str, Any]:
        """``PATCH /members/{id}/preferences``: the fields given change; the rest stay."""
        member = self._member(member_id)
        before = member_values(member_row(self.db, member))
        after = member_after(before, body)
        changes = _changes(
            {k: v for k, v in before.items() if k != "notifications"},
            {k: v for k, v in after.items() if k != "notifications"},
        )
        for switch, value in after["notifications"].items():
            old = before["notifications"].get(switch)
            if old != value:
                changes[f"{switch}_notifications"] = {"from": old, "to": value}
        if not changes:
            return self.member(member_id)
        stamp = self.stamp()
        with self.transaction() as db:
            store_member(db, member, after, stamp)
            self.emit(
                "agent.preferences_updated",
                {"member": member_data(member), "preferences": after, "changes": changes},
            )
        return show_member(member["id"], after, stamp)
