"""Fixtures of the team and gamification events (D46, D47): preferences, players, bosses, quests
and social, each made to happen with real API calls in test mode.

Player events come from a member the fixture adds (``member``), so the XP, level, achievement and
quest it earns are that member's first. Bosses and streaks need time to pass: those fixtures move
the team's test clock forward (``POST /test-helpers/clock/advance``) and say so in ``clock``; the
CLI refuses them on an environment that already holds tickets unless given ``--yes`` (moving the
clock moves every ticket's SLA with it).
"""

from __future__ import annotations

from typing import Any, Final

from cstar_cli.trigger.steps import CUSTOMER, TICKET, TICKET_PATH, Fixture, Step

DAY: Final = 86_400.0
BOSS_ADVANCE: Final = 720.0
"""12 minutes: an urgent ticket (15-minute response target) is past 75 % of its window, not past
its deadline, so it is at risk and a boss spawns (D20)."""

MEMBER = Step(
    "member",
    "POST",
    "/members",
    {"name": "Quinn Player", "email": "quinn.player+${run.id}@example.com", "role": "agent"},
)
TEAMMATE = Step("teammate", "GET", "/members", params={"pageSize": 1})


def _ticket(name: str, priority: str = "normal") -> Step:
    """A ticket of the fixture's customer, assigned to the fixture's member."""
    body: dict[str, Any] = {
        **dict(TICKET.body or {}),
        "priority": priority,
        "assignedTo": "${member.id}",
    }
    return Step(name, "POST", "/tickets", body)


def _resolve(name: str, ticket: str) -> Step:
    return Step(name, "PATCH", f"/tickets/${{{ticket}.id}}", {"status": "resolved"})


def _advance(name: str, seconds: float) -> Step:
    return Step(name, "POST", "/test-helpers/clock/advance", {"seconds": seconds})


def _close(n: int) -> tuple[Step, Step]:
    return _ticket(f"ticket{n}"), _resolve(f"resolve{n}", f"ticket{n}")


_CLOSE_ONE: Final = (MEMBER, CUSTOMER, _ticket("ticket"), _resolve("resolve", "ticket"))
_URGENT_AT_RISK: Final = (
    MEMBER,
    CUSTOMER,
    _ticket("ticket", "urgent"),
    _advance("advance", BOSS_ADVANCE),
)

GAME_FIXTURES: Final[dict[str, Fixture]] = {
    f.event: f
    for f in (
        Fixture(
            "team.preferences_updated",
            (
                Step("preferences", "PATCH", "/team/preferences", {"timezone": "Europe/Berlin"}),
                Step("restore", "PATCH", "/team/preferences", {"timezone": "UTC"}),
            ),
        ),
        Fixture(
            "agent.preferences_updated",
            (
                MEMBER,
                Step(
                    "preferences",
                    "PATCH",
                    "/members/${member.id}/preferences",
                    {"theme": "dark", "notifications": {"email": False}},
                ),
            ),
        ),
        Fixture("boss.spawned", _URGENT_AT_RISK, clock=BOSS_ADVANCE),
        Fixture(
            "boss.damaged",
            (
                MEMBER,
                CUSTOMER,
                _ticket("ticket", "urgent"),
                _ticket("second", "urgent"),
                _advance("advance", BOSS_ADVANCE),
                _resolve("resolve", "ticket"),
            ),
            clock=BOSS_ADVANCE,
        ),
        Fixture(
            "boss.defeated",
            (*_URGENT_AT_RISK, Step("resolve", "PATCH", TICKET_PATH, {"status": "resolved"})),
            clock=BOSS_ADVANCE,
        ),
        Fixture(
            "player.level_up",
            (MEMBER, CUSTOMER, _ticket("ticket", "urgent"), _resolve("resolve", "ticket")),
        ),
        Fixture("player.achievement_unlocked", _CLOSE_ONE),
        Fixture("player.xp_gained", _CLOSE_ONE),
        Fixture(
            "player.quest_completed",
            (
                MEMBER,
                CUSTOMER,
                *(step for n in (1, 2, 3) for step in _close(n)),
            ),
        ),
        Fixture(
            "player.streak_milestone",
            (
                MEMBER,
                CUSTOMER,
                *_close(1),
                _advance("day2", DAY),
                *_close(2),
                _advance("day3", DAY),
                *_close(3),
            ),
            clock=2 * DAY,
        ),
        Fixture(
            "social.high_five_sent",
            (
                TEAMMATE,
                MEMBER,
                Step(
                    "high_five",
                    "POST",
                    "/game/social/high-fives",
                    {
                        "fromMemberId": "${member.id}",
                        "toMemberId": "${teammate.0.id}",
                        "message": "High five for clearing the queue!",
                    },
                ),
            ),
        ),
        Fixture(
            "social.one_up_sent",
            (
                TEAMMATE,
                MEMBER,
                CUSTOMER,
                TICKET,
                Step(
                    "one_up",
                    "POST",
                    "/game/social/one-ups",
                    {
                        "fromMemberId": "${member.id}",
                        "toMemberId": "${teammate.0.id}",
                        "ticketId": "${ticket.id}",
                    },
                ),
            ),
        ),
    )
}
"""Event type -> its fixture, for the team and gamification events."""
