"""``cstar preferences …`` and ``cstar game quests|high-five|one-up`` against a real platform."""

from __future__ import annotations

from tests.platform.game.conftest import Cstar, Game, login
from tests.support.cli import assert_clean_error


def test_preferences_get_and_set_the_team(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    shown = cstar("preferences", "get")
    assert shown.exit_code == 0, shown.stderr
    assert "UTC" in shown.stdout and "09:00-17:00 mon,tue,wed,thu,fri (off)" in shown.stdout

    changed = cstar(
        "preferences",
        "set",
        "--timezone",
        "Europe/Berlin",
        "--default-priority",
        "high",
        "--business-hours",
        "08:00-16:00",
        "--business-days",
        "mon,wed",
        "--no-gamification",
    )

    assert changed.exit_code == 0, changed.stderr
    assert "Updated the team's preferences." in changed.stderr
    data = cstar("preferences", "get", "--json").json()
    assert (data["timezone"], data["defaultPriority"], data["gamificationEnabled"]) == (
        "Europe/Berlin",
        "high",
        False,
    )
    assert data["businessHours"]["days"] == ["mon", "wed"]
    assert data["businessHours"]["start"] == "08:00"
    [event] = game.events("team.preferences_updated")
    assert set(event["data"]["changes"]) == {
        "timezone",
        "default_priority",
        "gamification_enabled",
        "business_hours",
    }


def test_preferences_set_refuses_nothing_and_bad_values(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    assert_clean_error(cstar("preferences", "set"), 2, "Nothing to change")
    assert_clean_error(cstar("preferences", "set", "--business-days", "mon,funday"), 2, "funday")
    bad_zone = cstar("preferences", "set", "--timezone", "Mars/Base")
    assert_clean_error(bad_zone, 1, "'Mars/Base' is not an IANA time zone")
    assert game.events("team.preferences_updated") == []


def test_a_member_preferences_shown_and_changed(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    grace = game.member("Grace")
    shown = cstar("preferences", "member", "grace")
    assert shown.exit_code == 0, shown.stderr
    assert "email on, desktop on, mobile on" in shown.stdout and "system" in shown.stdout

    changed = cstar(
        "preferences", "member", "grace", "--theme", "dark", "--notify", "email=off", "--json"
    )

    assert changed.exit_code == 0, changed.stderr
    data = changed.json()
    assert data["memberId"] == grace["id"] and data["theme"] == "dark"
    assert data["notifications"]["email"] is False
    [event] = game.events("agent.preferences_updated")
    assert event["data"]["member"]["member_id"] == grace["id"]
    assert_clean_error(cstar("preferences", "member", "grace", "--notify", "fax=on"), 2, "fax=on")


def test_game_quests_high_five_and_one_up(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    grace = game.member("Grace")
    for _ in range(3):
        game.close(game.ticket(assignedTo=grace["id"])["id"])

    table = cstar("game", "quests", "grace")
    assert table.exit_code == 0, table.stderr
    hat_trick = next(line for line in table.stdout.splitlines() if "Hat Trick" in line)
    assert "3/3" in hat_trick and "50 XP + 10 gold" in hat_trick and "yes" in hat_trick
    events = cstar("events", "list", "--type", "player.quest_completed")
    assert events.exit_code == 0, events.stderr
    assert grace["id"] in events.stdout  # the OBJECT column names the player's member
    listed = cstar("game", "quests", "--json").json()
    assert [q["key"] for q in listed] == ["daily_close_3", "weekly_respond_5", "weekly_final_blow"]

    five = cstar("game", "high-five", "grace", "alan", "--message", "Queue cleared!")
    assert five.exit_code == 0, five.stderr
    assert "High-five sent: hfv_" in five.stderr
    ticket = game.ticket()
    up = cstar("game", "one-up", "alan", "grace", "--ticket", ticket["id"], "--json")
    assert up.exit_code == 0, up.stderr
    assert up.json()["object"] == "one_up" and up.json()["ticketId"] == ticket["id"]
    [high] = game.events("social.high_five_sent")
    assert high["data"]["message"] == "Queue cleared!"
    assert [e["data"]["ticket_id"] for e in game.events("social.one_up_sent")] == [ticket["id"]]

    assert_clean_error(cstar("game", "high-five", "grace", "grace"), 1, "cannot send themselves")
