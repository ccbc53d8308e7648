"""SLA bosses (D20) through the API, with the test clock (D21) and a real webhook receiver."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

from cstar_cli.platform.store.db import Database
from cstar_cli.platform.store.migrations import SCHEMA_DIR
from tests.platform.game.conftest import MINUTE, Game
from tests.support.receivers import Receiver
from tests.support.waiting import eventually


def _types(game: Game, pattern: str) -> list[str]:
    return [e["type"] for e in game.events(pattern)]


def test_an_urgent_ticket_at_risk_spawns_a_boss_and_closing_it_lands_the_final_blow(
    game: Game, receiver: Receiver
) -> None:
    hook = game.http.post("/webhooks", json={"url": receiver.url, "events": ["boss.*", "player.*"]})
    assert hook.status_code == 201, hook.text
    grace = game.member("Grace")
    ticket = game.ticket(priority="urgent", assignedTo=grace["id"])
    assert ticket["responseDeadline"] and ticket["resolutionDeadline"]

    game.advance(10 * MINUTE)  # 10 of 15 minutes: 67 %, not yet at risk
    assert game.bosses() == []
    game.advance(2 * MINUTE)  # 12 of 15 minutes: 80 %
    [boss] = game.bosses("active")
    assert (boss["hp"], boss["maxHp"], boss["ticketIds"]) == (100, 100, [ticket["id"]])
    assert boss["expiresAt"] == ticket["responseDeadline"]
    assert boss["timeLeftSeconds"] == 3 * MINUTE
    [spawned] = game.events("boss.spawned")
    assert spawned["data"]["boss"]["id"] == boss["id"]
    delivered = receiver.event_of_type("boss.spawned")
    assert delivered["id"] == spawned["id"]
    assert set(delivered["data"]["boss"]) == {
        "id", "name", "status", "hp", "max_hp", "ticket_ids", "spawned_at", "expires_at",
        "defeated_at",
    }  # fmt: skip

    closed = game.close(ticket["id"])
    assert closed["resolutionTier"] == "gold"  # 12 of 120 minutes
    defeated = receiver.event_of_type("boss.defeated")
    assert defeated["data"]["final_blow"]["member_id"] == grace["id"]
    assert defeated["data"]["xp_awarded"] == 75 * 3
    assert defeated["data"]["gold_awarded"] == 25
    assert defeated["data"]["boss"]["status"] == "defeated"
    assert defeated["data"]["boss"]["hp"] == 0
    [damaged] = game.events("boss.damaged")
    assert damaged["data"]["damage"] == 100
    assert damaged["data"]["member"]["member_id"] == grace["id"]
    [gained, quest] = game.events("player.xp_gained")
    assert (gained["data"]["amount"], gained["data"]["sla_tier"]) == (225, "gold")
    assert (quest["data"]["reason"], quest["data"]["amount"]) == ("quest_completed", 150)
    assert _types(game, "boss.*") == ["boss.spawned", "boss.damaged", "boss.defeated"]

    [after] = game.bosses()
    assert after["status"] == "defeated" and after["finalBlowBy"] == grace["id"]
    assert after["timeLeftSeconds"] is None and not after["teamCredit"]
    stats = game.player(grace["id"])  # the final blow also completes a weekly quest (D46)
    assert stats["xp"] == 225 + 150 and stats["gold"] == 25 + 30
    assert stats["stats"]["finalBlows"] == 1 and stats["stats"]["bossesDefeated"] == 1
    assert game.ok(game.http.get(f"/members/{grace['id']}"))["xp"] == 225 + 150


def test_a_missed_deadline_lets_the_boss_escape_and_it_fires_no_more_events(game: Game) -> None:
    grace = game.member("Grace")
    ticket = game.ticket(priority="urgent", assignedTo=grace["id"])
    game.advance(12 * MINUTE)
    [boss] = game.bosses("active")
    game.advance(4 * MINUTE)  # past the 15-minute response deadline
    assert game.bosses("active") == []
    [escaped] = game.bosses("escaped")
    assert escaped["id"] == boss["id"] and escaped["escapedAt"] is not None
    assert escaped["hp"] == 100

    game.close(ticket["id"])  # too late for the boss: XP only
    assert _types(game, "boss.*") == ["boss.spawned"]
    assert game.bosses("escaped")[0]["hp"] == 100
    assert [e["data"]["amount"] for e in game.events("player.xp_gained")] == [225]


def test_answering_in_time_keeps_the_boss_in_the_fight_until_the_resolution_deadline(
    game: Game,
) -> None:
    ticket = game.ticket(priority="urgent")
    game.advance(12 * MINUTE)
    reply = game.http.post(f"/tickets/{ticket['id']}/messages", json={"content": "On it"})
    assert reply.status_code == 201
    assert (
        game.ok(game.http.get(f"/tickets/{ticket['id']}"))["responseTier"] == "bronze"
    )  # 12 of 15 minutes
    game.advance(60 * MINUTE)  # response window met; resolution deadline still ahead
    [boss] = game.bosses("active")
    assert boss["expiresAt"] == ticket["resolutionDeadline"]
    game.close(ticket["id"])  # unassigned: the team lands the final blow
    [defeated] = game.events("boss.defeated")
    assert defeated["data"]["final_blow"] is None and defeated["data"]["xp_awarded"] == 0
    assert game.bosses()[0]["teamCredit"] is True


def test_tickets_at_risk_together_make_one_boss_with_100_hp_each(game: Game) -> None:
    grace, alan = game.member("Grace"), game.member("Alan")
    first = game.ticket(priority="urgent", assignedTo=grace["id"])
    second = game.ticket(priority="urgent", assignedTo=alan["id"])
    game.advance(12 * MINUTE)
    [boss] = game.bosses("active")
    assert (boss["hp"], boss["maxHp"]) == (200, 200)
    assert boss["ticketIds"] == [first["id"], second["id"]]

    game.close(first["id"], status="resolved")
    [hit] = game.events("boss.damaged")
    assert hit["data"]["boss"]["hp"] == 100 and hit["data"]["member"]["member_id"] == grace["id"]
    assert game.events("boss.defeated") == []
    game.close(second["id"])
    [defeated] = game.events("boss.defeated")
    assert defeated["data"]["final_blow"]["member_id"] == alan["id"]
    assert defeated["data"]["gold_awarded"] == 50
    assert [e["data"]["boss"]["hp"] for e in game.events("boss.damaged")] == [100, 0]
    assert game.player(grace["id"])["stats"]["bossesDefeated"] == 1
    assert game.player(grace["id"])["stats"]["finalBlows"] == 0
    assert game.player(alan["id"])["stats"]["finalBlows"] == 1


def test_a_ticket_at_risk_while_a_boss_is_active_joins_it(game: Game) -> None:
    urgent = game.ticket(priority="urgent")
    high = game.ticket(priority="high")  # 60-minute response window: at risk after 45
    game.advance(12 * MINUTE)
    [boss] = game.bosses("active")
    game.http.post(f"/tickets/{urgent['id']}/messages", json={"content": "Looking"})
    game.advance(34 * MINUTE)  # 46 minutes: the high ticket is at risk too
    [grown] = game.bosses("active")
    assert grown["id"] == boss["id"]
    assert (grown["hp"], grown["maxHp"]) == (200, 200)
    assert grown["ticketIds"] == [urgent["id"], high["id"]]
    assert grown["expiresAt"] == high["responseDeadline"]
    assert len(game.events("boss.spawned")) == 1

    game.close(urgent["id"])
    game.close(high["id"])
    assert _types(game, "boss.*") == [
        "boss.spawned",
        "boss.damaged",
        "boss.damaged",
        "boss.defeated",
    ]
    game.advance(60 * MINUTE)  # a defeated boss never comes back
    assert game.bosses("active") == [] and len(game.bosses()) == 1


def test_pending_pauses_the_sla_and_shifts_the_deadlines(game: Game) -> None:
    ticket = game.ticket(priority="urgent")
    game.advance(5 * MINUTE)
    paused = game.update(ticket["id"], status="pending")
    assert paused["slaPaused"] is True
    game.advance(60 * MINUTE)
    assert game.bosses() == []  # a paused ticket is never at risk
    resumed = game.update(ticket["id"], status="open")
    assert resumed["slaPaused"] is False
    from cstar_cli.wire.times import parse_iso

    shift = parse_iso(resumed["responseDeadline"]) - parse_iso(ticket["responseDeadline"])
    assert shift == 60 * MINUTE
    assert parse_iso(resumed["resolutionDeadline"]) - parse_iso(ticket["resolutionDeadline"]) == (
        60 * MINUTE
    )
    game.advance(6 * MINUTE)  # 11 active minutes of 15: 73 %
    assert game.bosses() == []
    game.advance(1 * MINUTE)  # 12 of 15
    assert len(game.bosses("active")) == 1


def test_the_background_timer_spawns_bosses_without_any_request(
    start_game: Callable[..., Game],
) -> None:
    game = start_game()
    ticket = game.ticket(priority="urgent")
    game.clock.now += 12 * MINUTE  # the platform's own clock moves; no request follows
    [boss] = eventually(game.bosses, bool, timeout=5)
    assert boss["ticketIds"] == [ticket["id"]]
    [spawned] = game.events("boss.spawned")
    assert spawned["data"]["boss"]["id"] == boss["id"]


def test_deleting_an_at_risk_ticket_takes_it_out_of_the_boss(game: Game) -> None:
    first = game.ticket(priority="urgent")
    second = game.ticket(priority="urgent")
    game.advance(12 * MINUTE)
    assert game.bosses("active")[0]["maxHp"] == 200
    assert game.http.delete(f"/tickets/{first['id']}").status_code == 200
    [boss] = game.bosses("active")
    assert (boss["hp"], boss["maxHp"]) == (100, 100)
    assert game.http.delete(f"/tickets/{second['id']}").status_code == 200
    assert game.bosses("active") == []
    assert _types(game, "boss.*") == ["boss.spawned"]


def test_closing_a_ticket_that_just_crossed_75_percent_still_fights_the_boss(game: Game) -> None:
    grace = game.member("Grace")
    ticket = game.ticket(priority="urgent", assignedTo=grace["id"])
    game.clock.now += 12 * MINUTE  # no request in between: the write itself judges the risk
    game.close(ticket["id"])
    assert _types(game, "boss.*") == ["boss.spawned", "boss.damaged", "boss.defeated"]
    assert game.bosses()[0]["finalBlowBy"] == grace["id"]


def test_boss_ids_are_bos_prefixed_everywhere_and_one_boss_is_found_by_either_form(
    game: Game, receiver: Receiver
) -> None:
    """D2: a boss is ``bos_`` + 32 hex in the game API, in events and in deliveries; the single
    boss route takes that or the bare UUID; a wrong kind of id is a 400 naming ``bossId``."""
    hook = game.http.post("/webhooks", json={"url": receiver.url, "events": ["boss.*"]})
    assert hook.status_code == 201, hook.text
    ticket = game.ticket(priority="urgent")
    game.advance(12 * MINUTE)
    [boss] = game.bosses("active")
    assert re.fullmatch(r"bos_[0-9a-f]{32}", boss["id"]), boss["id"]
    [spawned] = game.events("boss.spawned")
    assert spawned["data"]["boss"]["id"] == boss["id"]
    assert receiver.event_of_type("boss.spawned")["data"]["boss"]["id"] == boss["id"]

    hex_id = boss["id"].removeprefix("bos_")
    for spelling in (boss["id"], hex_id, str(uuid.UUID(hex_id))):
        assert game.ok(game.http.get(f"/game/bosses/{spelling}")) == boss
    wrong_kind = game.http.get(f"/game/bosses/{ticket['id']}")
    assert wrong_kind.status_code == 400
    assert wrong_kind.json()["error"]["param"] == "bossId"
    missing = game.http.get(f"/game/bosses/bos_{'0' * 32}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "resource_missing"
    game.close(ticket["id"])
    defeated = receiver.event_of_type("boss.defeated")
    assert defeated["data"]["boss"]["id"] == boss["id"]


def test_bosses_stored_with_dashed_uuids_get_hex_ids_and_keep_their_tickets(
    tmp_path: Path,
) -> None:
    """Migration 0010: bosses stored before D2's ids (dashed UUIDs) are rewritten, tickets too."""
    db = Database(str(tmp_path / "old.db"))
    try:
        old = str(uuid.uuid4())
        with db.transaction():
            db.execute(
                "INSERT INTO bosses (id, team_id, livemode, number, name, status, hp, max_hp, "
                "spawned_at) VALUES (?, 't', 0, 1, 'The SLA Hydra', 'active', 100, 100, 'now')",
                (old,),
            )
            db.execute(
                "INSERT INTO boss_tickets (boss_id, ticket_id, position, joined_at) "
                "VALUES (?, 'tkt', 0, 'now')",
                (old,),
            )
        script = next(SCHEMA_DIR.glob("0010_*.sql")).read_text()
        with db.transaction():
            for statement in script.split(";\n"):
                if statement.strip():
                    db.execute(statement)
        assert db.one("SELECT id FROM bosses") == {"id": uuid.UUID(old).hex}
        assert db.one("SELECT boss_id FROM boss_tickets") == {"boss_id": uuid.UUID(old).hex}
    finally:
        db.close()
