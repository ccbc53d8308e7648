"""Request and response models of the game, SLA and test-clock routes (``/openapi.json``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output, ShortText
from cstar_cli.wire.enums import Priority, QuestPeriod, SocialKind

MAX_TARGET_MINUTES = 366 * 24 * 60
Minutes = Annotated[int, Field(ge=1, le=MAX_TARGET_MINUTES)]
BossStatus = Literal["active", "defeated", "escaped"]


# -- SLA rules -----------------------------------------------------------------------------------
class SlaRule(Output):
    id: str
    object: Literal["sla_rule"]
    name: str
    priority: Priority
    responseTarget: int
    resolutionTarget: int
    businessHoursOnly: bool
    enabled: bool
    createdAt: str
    updatedAt: str


class SlaRuleCreate(Input):
    name: ShortText
    priority: Priority
    responseTarget: Minutes
    resolutionTarget: Minutes
    businessHoursOnly: bool = False
    enabled: bool = True


class SlaRuleUpdate(Input):
    name: ShortText | None = None
    priority: Priority | None = None
    responseTarget: Minutes | None = None
    resolutionTarget: Minutes | None = None
    businessHoursOnly: bool | None = None
    enabled: bool | None = None


# -- test clock ----------------------------------------------------------------------------------
class ClockAdvance(Input):
    seconds: Annotated[float, Field(gt=0, le=366 * 86_400)]


class TestClock(Output):
    object: Literal["test_clock"]
    environment: Literal["test"]
    now: str
    offsetSeconds: float
    advancedBy: float
    pending: int


# -- game ----------------------------------------------------------------------------------------
class Season(Output):
    id: str
    name: str
    endsAt: str


class Streaks(Output):
    current: int
    max: int


class PlayerCounts(Output):
    ticketsClosed: int
    bossesDefeated: int
    finalBlows: int
    achievementsUnlocked: int
    questsCompleted: int
    goldTierResolutions: int


class Skill(Output):
    level: int
    maxLevel: int
    effect: str


class Cosmetics(Output):
    avatarFrame: str | None
    victoryMessage: str | None


class PlayerStats(Output):
    object: Literal["player_stats"]
    memberId: str
    userId: str
    name: str
    avatarUrl: str | None
    season: Season
    level: int
    xp: int
    xpToNextLevel: int
    xpInCurrentLevel: int
    xpProgress: float
    gold: int
    prestigeLevel: int
    prestigeBonus: float
    streaks: Streaks
    stats: PlayerCounts
    skills: dict[str, Skill]
    availableSkillPoints: int
    totalSkillPoints: int
    cosmetics: Cosmetics


class LeaderboardEntry(Output):
    object: Literal["leaderboard_entry"]
    rank: int
    period: Literal["season", "week"]
    periodStart: str
    memberId: str
    userId: str
    name: str
    avatarUrl: str | None
    level: int
    xp: int
    totalXp: int
    resolutions: int
    bossesDefeated: int
    finalBlows: int
    streak: int


class Boss(Output):
    id: str
    object: Literal["boss"]
    name: str
    status: BossStatus
    hp: int
    maxHp: int
    ticketIds: list[str]
    spawnedAt: str
    expiresAt: str | None
    timeLeftSeconds: int | None
    defeatedAt: str | None
    escapedAt: str | None
    finalBlowBy: str | None
    teamCredit: bool


class Achievement(Output):
    object: Literal["achievement"]
    key: str
    name: str
    description: str
    unlockedCount: int
    unlocked: bool | None
    unlockedAt: str | None


# -- quests and social (D46) ---------------------------------------------------------------------
class QuestView(Output):
    object: Literal["quest"]
    key: str
    name: str
    description: str
    period: QuestPeriod
    periodKey: str
    periodStart: str
    periodEnd: str
    memberId: str | None
    progress: int | None
    target: int
    completed: bool | None
    completedAt: str | None
    rewardXp: int
    rewardGold: int


class HighFiveCreate(Input):
    fromMemberId: Annotated[str, Field(min_length=1, max_length=100)]
    toMemberId: Annotated[str, Field(min_length=1, max_length=100)]
    message: Annotated[str, Field(max_length=500)] | None = None


class OneUpCreate(Input):
    fromMemberId: Annotated[str, Field(min_length=1, max_length=100)]
    toMemberId: Annotated[str, Field(min_length=1, max_length=100)]
    ticketId: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class SocialSend(Output):
    id: str
    object: SocialKind
    fromMemberId: str
    toMemberId: str
    message: str | None
    ticketId: str | None
    createdAt: str
