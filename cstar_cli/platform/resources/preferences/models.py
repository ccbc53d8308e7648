"""Models of the preferences routes (D46): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output
from cstar_cli.wire.enums import Priority, Theme, Weekday

ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class BusinessHours(Output):
    enabled: bool
    days: list[Weekday]
    start: str
    end: str


class BusinessHoursUpdate(Input):
    enabled: bool | None = None
    days: Annotated[list[Weekday], Field(max_length=7)] | None = None
    start: ClockTime | None = None
    end: ClockTime | None = None


class TeamPreferences(Output):
    object: Literal["team_preferences"]
    teamId: str
    timezone: str
    businessHours: BusinessHours
    gamificationEnabled: bool
    defaultPriority: Priority
    updatedAt: str | None


class TeamPreferencesUpdate(Input):
    timezone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    businessHours: BusinessHoursUpdate | None = None
    gamificationEnabled: bool | None = None
    defaultPriority: Priority | None = None


class Notifications(Output):
    email: bool
    desktop: bool
    mobile: bool


class NotificationsUpdate(Input):
    email: bool | None = None
    desktop: bool | None = None
    mobile: bool | None = None


class MemberPreferences(Output):
    object: Literal["member_preferences"]
    memberId: str
    notifications: Notifications
    theme: Theme
    soundEffects: bool
    updatedAt: str | None


class MemberPreferencesUpdate(Input):
    notifications: NotificationsUpdate | None = None
    theme: Theme | None = None
    soundEffects: bool | None = None
