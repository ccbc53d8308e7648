"""Times the tools accept: keywords, ISO dates and durations, resolved in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cstar_cli.mcp.timewindow import TimeInputError, parse_duration, parse_time
from cstar_cli.wire.times import parse_iso
from tests.mcp.conftest import McpRunner, Session
from tests.support.platforms import RunningPlatform, platform_of_its_own

NOW = datetime(2026, 3, 5, 15, 30, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this_week", "2026-03-02T00:00:00.000Z"),
        ("this week", "2026-03-02T00:00:00.000Z"),
        ("last_week", "2026-02-23T00:00:00.000Z"),
        ("today", "2026-03-05T00:00:00.000Z"),
        ("yesterday", "2026-03-04T00:00:00.000Z"),
        ("this_month", "2026-03-01T00:00:00.000Z"),
        ("2026-03-02", "2026-03-02T00:00:00.000Z"),
        ("2026-03-02T09:15:00Z", "2026-03-02T09:15:00.000Z"),
        ("2026-03-02T10:15:00+01:00", "2026-03-02T09:15:00.000Z"),
    ],
)
def test_times_resolve_in_utc(text: str, expected: str) -> None:
    assert parse_time(text, "createdAfter", NOW) == expected


def test_durations_count_back_from_now() -> None:
    assert parse_time("7d", "since", NOW, allow_duration=True) == "2026-02-26T15:30:00.000Z"
    assert parse_time("90m", "since", NOW, allow_duration=True) == "2026-03-05T14:00:00.000Z"
    assert parse_duration("2w", "createdWithin").days == 14


@pytest.mark.parametrize("text", ["last tuesday", "7d", "2026-13-01"])
def test_unreadable_times_say_what_is_accepted(text: str) -> None:
    with pytest.raises(TimeInputError, match="this_week"):
        parse_time(text, "createdAfter", NOW)


@pytest.mark.parametrize("text", ["0d", "soon", "7 days", "-1h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(TimeInputError, match="30m, 24h, 7d"):
        parse_duration(text, "createdWithin")


def test_relative_windows_count_back_on_the_team_clock() -> None:
    """A test team that moved its clock a day ahead: "now", "the last 10 minutes" and "this
    week" are the team's (D37)."""
    with platform_of_its_own() as server:
        platform = RunningPlatform.serving(server)
        with platform.client() as api:
            team = platform.team_url
            early = api.post(team("/webhooks/trigger-test"), json={"event": "customer.created"})
            moved = api.post(team("/test-helpers/clock/advance"), json={"seconds": 86400})
            late = api.post(team("/webhooks/trigger-test"), json={"event": "customer.created"})
        team_now = parse_iso(moved.json()["data"]["now"])

        async def scenario(s: Session) -> None:
            who = (await s.ok("whoami"))["data"]
            assert parse_iso(who["now"]) - team_now >= 0
            assert parse_iso(who["now"]) - team_now < 3600  # the team's day, not this machine's
            recent = await s.ok("list_events", since="10m")
            ids = [event["id"] for event in recent["data"]]
            assert late.json()["data"]["eventId"] in ids
            assert early.json()["data"]["eventId"] not in ids

        McpRunner(platform).run(scenario)
