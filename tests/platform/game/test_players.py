"""XP, levels, streaks, achievements and the leaderboard (D19, D20, D22) through the API."""

from __future__ import annotations

from typing import Any

from tests.platform.game.conftest import DAY, MINUTE, Game


def _resolve_now(game: Game, member_id: str | None, priority: str = "low") -> dict[str, object]:
    body: dict[str, object] = {"priority": priority}
    if member_id:
        body["assignedTo"] = member_id
    return game.close(game.ticket(**body)["id"])


def _for_tickets(game: Game) -> list[dict[str, Any]]:
    """``player.xp_gained`` events for closed tickets (quest rewards left out, D46)."""
    return [e for e in game.events("player.xp_gained") if e["data"]["reason"] == "ticket_closed"]


def test_a_three_day_streak_emits_one_streak_milestone(game: Game) -> None:
    grace = game.member("Grace")
    _resolve_now(game, grace["id"])
    _resolve_now(game, grace["id"])  # a second resolution the same day adds nothing
    game.advance(DAY)
    _resolve_now(game, grace["id"])
    assert game.events("player.streak_milestone") == []
    game.advance(DAY)
    _resolve_now(game, grace["id"])
    [milestone] = game.events("player.streak_milestone")
    assert milestone["data"]["days"] == 3
    assert milestone["data"]["player"]["member_id"] == grace["id"]
    assert milestone["data"]["player"]["streak"] == {"current": 3, "max": 3}
    assert game.player(grace["id"])["streaks"] == {"current": 3, "max": 3}

    game.advance(2 * DAY)  # a day without a resolution breaks the streak
    assert game.player(grace["id"])["streaks"] == {"current": 0, "max": 3}
    _resolve_now(game, grace["id"])
    assert game.player(grace["id"])["streaks"] == {"current": 1, "max": 3}
    assert len(game.events("player.streak_milestone")) == 1


def test_level_ups_emit_player_level_up_with_old_and_new_levels(game: Game) -> None:
    grace = game.member("Grace")
    _resolve_now(game, grace["id"], "high")  # 50 × 3 (gold) = 150 XP: level 2 at 100
    _resolve_now(game, grace["id"], "normal")  # 75 more: 225, still level 2 (283 for level 3)
    _resolve_now(game, grace["id"], "urgent")  # 225 more: 450, level 3
    assert [e["data"]["amount"] for e in _for_tickets(game)] == [150, 75, 225]
    ups = game.events("player.level_up")
    assert [(e["data"]["old_level"], e["data"]["new_level"]) for e in ups] == [(1, 2), (2, 3)]
    assert ups[-1]["data"]["player"]["xp"] == 450
    assert ups[-1]["data"]["player"]["xp_to_next_level"] == 520 - 450
    # the third close also completes the daily quest (D46): 50 XP more, still level 3
    stats = game.player(grace["id"])
    assert (stats["level"], stats["xp"], stats["xpToNextLevel"]) == (3, 500, 20)
    assert stats["xpInCurrentLevel"] == 500 - 283
    member = game.ok(game.http.get(f"/members/{grace['id']}"))
    assert (member["level"], member["xp"]) == (3, 500)


def test_xp_follows_priority_times_the_resolution_tier(game: Game) -> None:
    alan = game.member("Alan")
    tickets = [game.ticket(priority="normal", assignedTo=alan["id"]) for _ in range(4)]
    game.advance(6 * 60 * MINUTE)  # 25 % of the 1,440-minute target: gold
    game.close(tickets[0]["id"])
    game.advance(6 * 60 * MINUTE)  # 50 %: silver
    game.close(tickets[1]["id"])
    game.advance(12 * 60 * MINUTE)  # 100 %: bronze
    game.close(tickets[2]["id"])
    game.advance(MINUTE)  # past the target: missed, no bonus
    closed = game.close(tickets[3]["id"])
    assert closed["resolutionTier"] == "missed"
    gained = [(e["data"]["sla_tier"], e["data"]["amount"]) for e in _for_tickets(game)]
    assert gained == [("gold", 75), ("silver", 50), ("bronze", 25), ("missed", 25)]
    reopened = game.update(tickets[0]["id"], status="open")
    game.close(reopened["id"])  # a ticket scores once
    assert len(_for_tickets(game)) == 4
    before = len(game.events("player.xp_gained"))
    unassigned = game.ticket(priority="urgent")
    game.close(unassigned["id"])  # nobody to credit: no XP
    assert len(game.events("player.xp_gained")) == before


def test_achievements_unlock_once_each(game: Game) -> None:
    grace = game.member("Grace")
    for _ in range(10):
        _resolve_now(game, grace["id"])
    unlocked = [e["data"]["achievement"]["key"] for e in game.events("player.achievement_unlocked")]
    assert unlocked == ["first_ticket_closed", "tickets_closed_10", "gold_tier_10"]
    data = game.ok(game.http.get("/game/achievements", params={"userId": grace["id"]}))
    assert {a["key"] for a in data if a["unlocked"]} == set(unlocked)
    assert {a["key"]: a["unlockedCount"] for a in data}["tickets_closed_10"] == 1
    everyone = game.ok(game.http.get("/game/achievements"))
    assert len(everyone) == 6 and all(a["unlocked"] is None for a in everyone)
    player = game.player(grace["userId"])  # a usr_ id works as well
    assert player["stats"]["achievementsUnlocked"] == 3
    assert player["stats"]["goldTierResolutions"] == 10


def test_the_leaderboard_ranks_by_xp_for_the_season_and_the_week(game: Game) -> None:
    grace, alan = game.member("Grace"), game.member("Alan")
    _resolve_now(game, grace["id"], "urgent")  # 225
    game.advance(8 * DAY)  # next week
    _resolve_now(game, alan["id"], "high")  # 150
    season = game.ok(game.http.get("/game/leaderboard"))
    assert [(e["rank"], e["name"], e["xp"]) for e in season[:2]] == [
        (1, "Grace Hopper", 225),
        (2, "Alan Turing", 150),
    ]
    assert len(season) == 3 and season[2]["xp"] == 0
    week = game.ok(game.http.get("/game/leaderboard", params={"period": "week"}))
    assert [(e["name"], e["xp"], e["resolutions"]) for e in week[:2]] == [
        ("Alan Turing", 150, 1),
        ("Grace Hopper", 0, 0),
    ]
    assert week[1]["totalXp"] == 225
    bad = game.http.get("/game/leaderboard", params={"period": "year"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "period"


def test_player_lookup_errors_follow_d5(game: Game) -> None:
    missing = game.http.get("/game/player")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "parameter_missing"
    unknown = game.http.get("/game/player", params={"userId": "mem_" + "0" * 32})
    assert unknown.status_code == 404
    wrong = game.http.get("/game/player", params={"userId": "tkt_" + "0" * 32})
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "userId"


def test_every_game_event_has_the_catalogue_sample_shape(game: Game) -> None:
    from cstar_cli.wire import catalog

    grace = game.member("Grace")
    _resolve_now(game, grace["id"])
    game.advance(DAY)
    _resolve_now(game, grace["id"])
    game.advance(DAY)
    at_risk = game.ticket(priority="urgent", assignedTo=grace["id"])
    game.advance(12 * MINUTE)
    game.close(at_risk["id"])
    seen = {e["type"]: e["data"] for e in game.events("*") if e["type"].split(".")[0] != "ticket"}
    assert set(seen) == {
        "boss.spawned",
        "boss.damaged",
        "boss.defeated",
        "player.xp_gained",
        "player.level_up",
        "player.streak_milestone",
        "player.achievement_unlocked",
        "player.quest_completed",  # the final blow completes the weekly quest (D46)
    }
    for event_type, data in seen.items():
        sample = catalog.sample_data(event_type, team_id="t", team_slug="s", now=1.0)
        assert set(data) == set(sample), event_type
        for nested in ("boss", "player", "achievement", "member", "final_blow", "quest"):
            if isinstance(sample.get(nested), dict):
                assert set(data[nested]) == set(sample[nested]), (event_type, nested)
