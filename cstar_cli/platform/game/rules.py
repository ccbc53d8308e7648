"""The game's rules as data and pure functions (D19, D20). No storage, no I/O, no clock."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

DAY: Final = 86_400

# -- XP (D19) ------------------------------------------------------------------------------------
XP_BY_PRIORITY: Final[dict[str, int]] = {"urgent": 75, "high": 50, "normal": 25, "low": 10}
TIER_MULTIPLIER: Final[dict[str, int]] = {"gold": 3, "silver": 2, "bronze": 1, "missed": 1}
TIER_LIMITS: Final[tuple[tuple[str, float], ...]] = (
    ("gold", 0.25),
    ("silver", 0.5),
    ("bronze", 1.0),
)


def tier_for(elapsed: float, target: float) -> str:
    """The SLA tier of work done in ``elapsed`` seconds against a ``target`` in seconds."""
    if target <= 0:
        return "bronze" if elapsed <= 0 else "missed"
    ratio = elapsed / target
    for tier, limit in TIER_LIMITS:
        if ratio <= limit:
            return tier
    return "missed"


def ticket_xp(priority: str, tier: str | None) -> tuple[int, int]:
    """``(amount, multiplier)`` for closing a ticket; no SLA (``tier`` None) counts as ×1."""
    multiplier = TIER_MULTIPLIER.get(tier or "bronze", 1)
    return XP_BY_PRIORITY[priority] * multiplier, multiplier


# -- levels (D19) --------------------------------------------------------------------------------
def xp_for_level(level: int) -> int:
    """Total XP needed to reach ``level``: level n+1 needs round(100·n^1.5); level 1 is 0."""
    return 0 if level <= 1 else round(100 * (level - 1) ** 1.5)


def level_for_xp(xp: int) -> int:
    level = max(1, int((max(xp, 0) / 100) ** (2 / 3)))  # a close guess, then exact steps
    while xp_for_level(level + 1) <= xp:
        level += 1
    while level > 1 and xp_for_level(level) > xp:
        level -= 1
    return level


@dataclass(frozen=True)
class LevelProgress:
    level: int
    xp_to_next: int
    xp_in_level: int
    progress: float


def progress(xp: int) -> LevelProgress:
    level = level_for_xp(xp)
    floor, ceiling = xp_for_level(level), xp_for_level(level + 1)
    span = ceiling - floor
    return LevelProgress(level, ceiling - xp, xp - floor, round((xp - floor) / span, 4))


# -- streaks (D19) -------------------------------------------------------------------------------
STREAK_MILESTONES: Final[tuple[int, ...]] = (3, 7, 14, 30)


def day_of(ts: float) -> int:
    """The UTC calendar day number of a unix time (the streak unit)."""
    return math.floor(ts / DAY)


def next_streak(last_day: int | None, current: int, day: int) -> int:
    """The streak after a resolution on ``day``: same day keeps it, the next day extends it."""
    if last_day == day:
        return max(current, 1)
    if last_day is not None and last_day == day - 1:
        return current + 1
    return 1


def visible_streak(last_day: int | None, current: int, today: int) -> int:
    """A streak whose last resolution was before yesterday is broken (shown as 0)."""
    if last_day is None or last_day < today - 1:
        return 0
    return current


# -- achievements (D20) --------------------------------------------------------------------------
@dataclass(frozen=True)
class Achievement:
    key: str
    name: str
    description: str
    stat: str  # the player counter it watches
    threshold: int


ACHIEVEMENTS: Final[tuple[Achievement, ...]] = (
    Achievement(
        "first_ticket_closed", "First Resolution", "Close your first ticket.", "tickets_closed", 1
    ),
    Achievement("tickets_closed_10", "Ten Down", "Close 10 tickets.", "tickets_closed", 10),
    Achievement("tickets_closed_100", "Centurion", "Close 100 tickets.", "tickets_closed", 100),
    Achievement(
        "first_final_blow", "Boss Slayer", "Land the final blow on an SLA boss.", "final_blows", 1
    ),
    Achievement(
        "streak_7_days",
        "On a Roll",
        "Resolve at least one ticket a day for 7 days in a row.",
        "streak_max",
        7,
    ),
    Achievement(
        "gold_tier_10",
        "Golden Touch",
        "Resolve 10 tickets within 25% of their SLA resolution target.",
        "gold_resolutions",
        10,
    ),
)


def earned(stats: dict[str, int]) -> list[Achievement]:
    """Every achievement the counters in ``stats`` qualify for."""
    return [a for a in ACHIEVEMENTS if stats.get(a.stat, 0) >= a.threshold]


# -- bosses (D20) --------------------------------------------------------------------------------
BOSS_HP_PER_TICKET: Final = 100
BOSS_DAMAGE: Final = 100
BOSS_GOLD_PER_TICKET: Final = 25
RISK_FRACTION: Final = 0.75
BOSS_NAMES: Final[tuple[str, ...]] = (
    "The SLA Hydra",
    "The Backlog Behemoth",
    "The Queue Wraith",
    "The Timeout Titan",
    "The Escalation Golem",
)


def boss_name(number: int) -> str:
    """The name of a team's ``number``-th boss (1-based), cycling through :data:`BOSS_NAMES`."""
    return BOSS_NAMES[(number - 1) % len(BOSS_NAMES)]


def risk_at(deadline: float, target: float) -> float:
    """When a window of ``target`` seconds ending at ``deadline`` passes 75 %."""
    return deadline - (1 - RISK_FRACTION) * target


# -- seasons and periods -------------------------------------------------------------------------
def season_of(ts: float) -> tuple[str, str, float, float]:
    """``(id, name, start, end)`` of the calendar-quarter season containing ``ts`` (UTC)."""
    when = datetime.fromtimestamp(ts, UTC)
    quarter = (when.month - 1) // 3 + 1
    start = datetime(when.year, 3 * quarter - 2, 1, tzinfo=UTC)
    end = (
        datetime(when.year + 1, 1, 1, tzinfo=UTC)
        if quarter == 4
        else datetime(when.year, 3 * quarter + 1, 1, tzinfo=UTC)
    )
    return (
        f"{when.year}-Q{quarter}",
        f"Season {when.year} Q{quarter}",
        start.timestamp(),
        end.timestamp(),
    )


def week_start(ts: float) -> float:
    """Monday 00:00 UTC of the ISO week containing ``ts``."""
    when = datetime.fromtimestamp(ts, UTC)
    monday = datetime(when.year, when.month, when.day, tzinfo=UTC) - timedelta(days=when.weekday())
    return monday.timestamp()


# -- the parts of the player model the local platform keeps static -------------------------------
SKILLS: Final[dict[str, str]] = {
    "quick_learner": "+15% XP",
    "sla_shield": "+10% SLA window before a boss spawns",
    "boss_hunter": "+20% damage to bosses",
    "streak_keeper": "One missed day a week keeps the streak",
}
SKILL_MAX_LEVEL: Final = 5
