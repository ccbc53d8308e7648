"""The pure rules (D19, D20): tiers, XP, the level curve, streaks, seasons."""

from __future__ import annotations

import pytest

from cstar_cli.platform.game import rules


@pytest.mark.parametrize(
    ("elapsed", "tier"),
    [(0, "gold"), (25, "gold"), (26, "silver"), (50, "silver"), (100, "bronze"), (101, "missed")],
)
def test_tiers_judge_elapsed_time_against_the_target(elapsed: int, tier: str) -> None:
    assert rules.tier_for(elapsed, 100) == tier


def test_xp_is_priority_times_the_tier() -> None:
    assert rules.ticket_xp("urgent", "gold") == (225, 3)
    assert rules.ticket_xp("high", "silver") == (100, 2)
    assert rules.ticket_xp("normal", "bronze") == (25, 1)
    assert rules.ticket_xp("low", "missed") == (10, 1)
    assert rules.ticket_xp("urgent", None) == (75, 1)  # no SLA: no bonus


def test_the_level_curve_is_round_100_n_to_the_1_5() -> None:
    assert [rules.xp_for_level(n) for n in range(1, 7)] == [0, 100, 283, 520, 800, 1118]
    for level in range(1, 60):
        needed = rules.xp_for_level(level)
        assert rules.level_for_xp(needed) == level
        if needed:
            assert rules.level_for_xp(needed - 1) == level - 1
    progress = rules.progress(450)
    assert (progress.level, progress.xp_to_next, progress.xp_in_level) == (3, 70, 167)


def test_streaks_count_consecutive_days() -> None:
    assert rules.next_streak(None, 0, 10) == 1
    assert rules.next_streak(10, 1, 10) == 1
    assert rules.next_streak(10, 1, 11) == 2
    assert rules.next_streak(10, 5, 12) == 1
    assert rules.visible_streak(10, 5, 11) == 5
    assert rules.visible_streak(10, 5, 12) == 0


def test_seasons_are_calendar_quarters_and_weeks_start_on_monday() -> None:
    assert rules.season_of(1_776_000_000)[:2] == ("2026-Q2", "Season 2026 Q2")  # 2026-04-12
    monday = rules.week_start(1_776_000_000)
    assert rules.day_of(monday) * 86_400 == monday and (rules.day_of(monday) + 3) % 7 == 0
