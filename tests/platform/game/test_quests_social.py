"""Quests and social (D46) over a real socket: progress, rewards and their events, days and
weeks in the team's time zone on the team clock, high-fives and one-ups with their limits."""

from __future__ import annotations

from typing import Any

from tests.platform.game.conftest import DAY, MINUTE, Game
from tests.support.receivers import Receiver

HOUR = 60 * MINUTE


def quests(game: Game, member_id: str | None = None) -> dict[str, dict[str, Any]]:
    params = {"memberId": member_id} if member_id else {}
    listed: list[dict[str, Any]] = game.ok(game.http.get("/game/quests", params=params))
    return {q["key"]: q for q in listed}


def close_tickets(game: Game, member_id: str, n: int) -> None:
    for _ in range(n):
        ticket = game.ticket(assignedTo=member_id)
        game.close(ticket["id"], "resolved")


def test_closing_three_tickets_today_completes_the_daily_quest_once(
    game: Game, receiver: Receiver
) -> None:
    game.ok(game.http.post("/webhooks", json={"url": receiver.url, "events": ["player.*"]}), 201)
    grace = game.member("Grace")
    before = quests(game, grace["id"])["daily_close_3"]
    assert (before["progress"], before["target"], before["completed"]) == (0, 3, False)

    close_tickets(game, grace["id"], 2)
    assert quests(game, grace["id"])["daily_close_3"]["progress"] == 2
    assert game.events("player.quest_completed") == []
    xp_before = game.player(grace["id"])["xp"]
    close_tickets(game, grace["id"], 2)

    daily = quests(game, grace["id"])["daily_close_3"]
    assert (daily["progress"], daily["completed"]) == (3, True) and daily["completedAt"]
    [completed] = game.events("player.quest_completed")
    quest = completed["data"]["quest"]
    assert (quest["key"], quest["progress"], quest["target"]) == ("daily_close_3", 3, 3)
    assert (quest["reward_xp"], quest["reward_gold"]) == (50, 10)
    assert completed["data"]["player"]["member_id"] == grace["id"]
    delivered = receiver.event_of_type("player.quest_completed")
    assert delivered["id"] == completed["id"]
    player = game.player(grace["id"])
    assert player["stats"]["questsCompleted"] == 1
    assert player["gold"] == 10  # gold comes from bosses and quests; none from tickets
    assert player["xp"] == xp_before + 2 * 25 * 3 + 50  # two gold-tier normal tickets, the quest
    rewards = [e for e in game.events("player.xp_gained") if e["data"]["reason"] != "ticket_closed"]
    assert [(e["data"]["reason"], e["data"]["amount"]) for e in rewards] == [
        ("quest_completed", 50)
    ]
    alan = quests(game, game.member("Alan")["id"])["daily_close_3"]
    assert (alan["progress"], alan["completed"]) == (0, False)


def test_without_a_member_quests_list_the_definitions(game: Game) -> None:
    listed = quests(game)
    assert list(listed) == ["daily_close_3", "weekly_respond_5", "weekly_final_blow"]
    assert [
        (q["period"], q["target"], q["rewardXp"], q["rewardGold"]) for q in listed.values()
    ] == [
        ("daily", 3, 50, 10),
        ("weekly", 5, 150, 30),
        ("weekly", 1, 150, 30),
    ]
    assert all(q["progress"] is None and q["completed"] is None for q in listed.values())
    unknown = game.http.get("/game/quests", params={"memberId": "mem_" + "0" * 32})
    assert unknown.status_code == 404


def test_five_answers_within_target_complete_a_weekly_quest(game: Game) -> None:
    grace = game.member("Grace")
    late = game.ticket(priority="urgent", assignedTo=grace["id"])
    game.advance(16 * MINUTE)  # past its 15-minute response target
    game.ok(
        game.http.post(
            f"/tickets/{late['id']}/messages", json={"content": "Hi", "sender": "agent"}
        ),
        201,
    )
    for n in range(5):
        ticket = game.ticket(assignedTo=grace["id"])
        reply = {"content": f"On it ({n})", "sender": "agent"}
        game.ok(game.http.post(f"/tickets/{ticket['id']}/messages", json=reply), 201)
        game.ok(game.http.post(f"/tickets/{ticket['id']}/messages", json=reply), 201)

    weekly = quests(game, grace["id"])["weekly_respond_5"]
    assert (weekly["progress"], weekly["completed"]) == (5, True)
    [completed] = game.events("player.quest_completed")
    assert completed["data"]["quest"]["key"] == "weekly_respond_5"
    assert game.player(grace["id"])["gold"] == 30


def test_a_final_blow_completes_the_weekly_boss_quest(game: Game) -> None:
    grace = game.member("Grace")
    ticket = game.ticket(priority="urgent", assignedTo=grace["id"])
    game.advance(12 * MINUTE)
    game.close(ticket["id"])

    assert quests(game, grace["id"])["weekly_final_blow"]["completed"] is True
    kinds = [e["type"] for e in game.events()]
    assert kinds.index("boss.defeated") < kinds.index("player.quest_completed")
    assert game.player(grace["id"])["gold"] == 25 + 30  # the boss's gold, then the quest's


def test_days_follow_the_team_time_zone_on_the_team_clock(start_game: Any) -> None:
    # The fake clock starts on Monday 2026-09-21 14:13:20 UTC; 23:00 UTC is 08:00 in Tokyo
    # the next day, and two hours later both are on 2026-09-22 in Tokyo but not in UTC.
    to_2300 = 8 * HOUR + 46 * MINUTE + 40
    utc, tokyo = start_game(), start_game()
    tokyo.obj(tokyo.http.patch("/team/preferences", json={"timezone": "Asia/Tokyo"}))
    for game in (utc, tokyo):
        grace = game.member("Grace")
        game.advance(to_2300)
        close_tickets(game, grace["id"], 2)
        game.advance(2 * HOUR)
        close_tickets(game, grace["id"], 1)

    utc_daily = quests(utc, utc.member("Grace")["id"])["daily_close_3"]
    tokyo_daily = quests(tokyo, tokyo.member("Grace")["id"])["daily_close_3"]
    assert (utc_daily["periodKey"], utc_daily["progress"]) == ("2026-09-22", 1)
    assert utc_daily["periodStart"] == "2026-09-22T00:00:00.000Z"
    assert (tokyo_daily["periodKey"], tokyo_daily["progress"]) == ("2026-09-22", 3)
    assert tokyo_daily["completed"] is True
    assert tokyo_daily["periodStart"] == "2026-09-21T15:00:00.000Z"  # midnight in Tokyo
    weekly = quests(tokyo, tokyo.member("Grace")["id"])["weekly_final_blow"]
    assert weekly["periodKey"] == "2026-W39"
    assert weekly["periodStart"] == "2026-09-20T15:00:00.000Z"  # Monday 00:00 in Tokyo
    assert utc.events("player.quest_completed") == []


def test_a_high_five_and_a_one_up_fire_their_events(game: Game, receiver: Receiver) -> None:
    game.ok(game.http.post("/webhooks", json={"url": receiver.url, "events": ["social.*"]}), 201)
    grace, alan = game.member("Grace"), game.member("Alan")
    ticket = game.ticket(assignedTo=grace["id"])

    five = game.obj(
        game.http.post(
            "/game/social/high-fives",
            json={"fromMemberId": grace["id"], "toMemberId": alan["id"], "message": "Nice!"},
        ),
        201,
    )
    up = game.obj(
        game.http.post(
            "/game/social/one-ups",
            json={"fromMemberId": alan["id"], "toMemberId": grace["id"], "ticketId": ticket["id"]},
        ),
        201,
    )

    assert five["id"].startswith("hfv_") and five["object"] == "high_five"
    assert (five["fromMemberId"], five["toMemberId"], five["message"]) == (
        grace["id"],
        alan["id"],
        "Nice!",
    )
    assert up["id"].startswith("oup_") and up["ticketId"] == ticket["id"]
    high = receiver.event_of_type("social.high_five_sent")["data"]
    assert high["id"] == five["id"] and high["message"] == "Nice!"
    assert high["from_member"]["member_id"] == grace["id"]
    assert high["to_member"]["member_id"] == alan["id"]
    one = receiver.event_of_type("social.one_up_sent")["data"]
    assert one["ticket_id"] == ticket["id"] and one["from_member"]["member_id"] == alan["id"]


def test_social_refuses_oneself_strangers_and_an_eleventh_a_day(game: Game) -> None:
    grace, alan = game.member("Grace"), game.member("Alan")
    path = "/game/social/high-fives"

    def send(body: dict[str, Any], kind: str = path) -> Any:
        return game.http.post(kind, json=body)

    to_self = send({"fromMemberId": grace["id"], "toMemberId": grace["id"]})
    stranger = send({"fromMemberId": "mem_" + "1" * 32, "toMemberId": grace["id"]})
    bad_ticket = send(
        {"fromMemberId": grace["id"], "toMemberId": alan["id"], "ticketId": "tkt_" + "2" * 32},
        "/game/social/one-ups",
    )
    assert (to_self.status_code, to_self.json()["error"]["param"]) == (400, "toMemberId")
    assert (stranger.status_code, stranger.json()["error"]["param"]) == (400, "fromMemberId")
    assert (bad_ticket.status_code, bad_ticket.json()["error"]["param"]) == (400, "ticketId")

    for n in range(10):
        kind = path if n % 2 else "/game/social/one-ups"
        assert (
            send({"fromMemberId": grace["id"], "toMemberId": alan["id"]}, kind).status_code == 201
        )
    eleventh = send({"fromMemberId": grace["id"], "toMemberId": alan["id"]})
    assert eleventh.status_code == 409
    error = eleventh.json()["error"]
    assert (error["code"], error["type"], error["param"]) == (
        "daily_limit_reached",
        "invalid_request_error",
        "fromMemberId",
    )
    assert send({"fromMemberId": alan["id"], "toMemberId": grace["id"]}).status_code == 201
    assert len(game.events("social.*")) == 11

    game.advance(DAY)
    assert send({"fromMemberId": grace["id"], "toMemberId": alan["id"]}).status_code == 201


def test_reset_clears_quests_and_social(game: Game) -> None:
    grace, alan = game.member("Grace"), game.member("Alan")
    close_tickets(game, grace["id"], 3)
    for _ in range(10):
        game.http.post(
            "/game/social/high-fives", json={"fromMemberId": grace["id"], "toMemberId": alan["id"]}
        )

    deleted = game.obj(game.http.post("/test-helpers/reset"))["deleted"]

    assert deleted["questProgress"] == 1 and deleted["socialSends"] == 10
    grace = game.member("Grace")
    assert quests(game, grace["id"])["daily_close_3"]["progress"] == 0
    assert game.player(grace["id"])["stats"]["questsCompleted"] == 0
    again = game.http.post(
        "/game/social/high-fives", json={"fromMemberId": grace["id"], "toMemberId": alan["id"]}
    )
    assert again.status_code == 201


def test_team_and_social_events_have_the_catalogue_sample_shape(game: Game) -> None:
    from cstar_cli.wire import catalog

    grace, alan = game.member("Grace"), game.member("Alan")
    game.obj(game.http.patch("/team/preferences", json={"timezone": "Europe/Berlin"}))
    game.obj(game.http.patch(f"/members/{grace['id']}/preferences", json={"theme": "dark"}))
    pair = {"fromMemberId": grace["id"], "toMemberId": alan["id"]}
    game.obj(game.http.post("/game/social/high-fives", json=pair), 201)
    game.obj(game.http.post("/game/social/one-ups", json=pair), 201)
    close_tickets(game, grace["id"], 3)
    seen = {e["type"]: e["data"] for e in game.events("*")}
    for event_type in (
        "team.preferences_updated",
        "agent.preferences_updated",
        "social.high_five_sent",
        "social.one_up_sent",
        "player.quest_completed",
    ):
        sample = catalog.sample_data(event_type, team_id="t", team_slug="s", now=1.0)
        data = seen[event_type]
        assert set(data) == set(sample), event_type
        for nested in ("team", "member", "preferences", "from_member", "to_member", "quest"):
            if isinstance(sample.get(nested), dict):
                assert set(data[nested]) == set(sample[nested]), (event_type, nested)
