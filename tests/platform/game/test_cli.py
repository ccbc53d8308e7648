"""``cstar game leaderboard|player|bosses`` against a real platform."""

from __future__ import annotations

import uuid

from tests.platform.game.conftest import MINUTE, Cstar, Game, login


def test_leaderboard_and_player_show_the_scores(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    grace = game.member("Grace")
    game.close(game.ticket(priority="urgent", assignedTo=grace["id"])["id"])

    table = cstar("game", "leaderboard")
    assert table.exit_code == 0, table.stderr
    header, _rule, *rows = [line for line in table.stdout.splitlines() if line.strip()]
    for column in ("RANK", "MEMBER", "LEVEL", "XP", "RESOLUTIONS", "BOSSES"):
        assert column in header
    assert rows[0].split()[:4] == ["1", "Grace", "Hopper", "2"] and "225" in rows[0]
    as_json = cstar("game", "leaderboard", "--period", "week", "--json").json()
    assert as_json[0]["object"] == "leaderboard_entry" and as_json[0]["xp"] == 225

    player = cstar("game", "player", "grace")
    assert player.exit_code == 0, player.stderr
    assert "Grace Hopper" in player.stdout and "First Resolution" in player.stdout
    assert "225 (58 to level 3)" in player.stdout
    data = cstar("game", "player", "grace@example.com", "--json").json()
    assert data["object"] == "player_stats" and data["memberId"] == grace["id"]
    assert cstar("game", "player", grace["id"], "--json").json()["xp"] == 225


def test_player_names_must_match_one_member(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    nobody = cstar("game", "player", "nobody")
    assert nobody.exit_code != 0 and "No team member matches" in nobody.stderr
    several = cstar("game", "player", "example.com")
    assert several.exit_code != 0 and "matches 3 members" in several.stderr


def test_bosses_shows_hp_and_time_left(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    assert "No active bosses" in cstar("game", "bosses").stderr
    first = game.ticket(priority="urgent")
    game.ticket(priority="urgent")
    game.advance(12 * MINUTE)
    game.close(first["id"])

    run = cstar("game", "bosses")
    assert run.exit_code == 0, run.stderr
    assert "The SLA Hydra" in run.stdout and "active" in run.stdout
    assert "██████████░░░░░░░░░░ 100/200" in run.stdout
    assert "3m 00s" in run.stdout
    [boss] = cstar("game", "bosses", "--json").json()
    assert boss["object"] == "boss" and boss["timeLeftSeconds"] == 180
    game.advance(4 * MINUTE)
    assert cstar("game", "bosses", "--json").json() == []
    everything = cstar("game", "bosses", "--all")
    assert "escaped" in everything.stdout and "100/200" in everything.stdout


def test_one_boss_by_its_id_or_uuid(game: Game, cstar: Cstar) -> None:
    login(cstar, game)
    game.ticket(priority="urgent")
    game.advance(12 * MINUTE)
    [boss] = cstar("game", "bosses", "--json").json()
    assert boss["id"].startswith("bos_")
    shown = cstar("game", "bosses", boss["id"])
    assert shown.exit_code == 0, shown.stderr
    assert "The SLA Hydra" in shown.stdout and "100/100" in shown.stdout
    assert boss["ticketIds"][0] in shown.stdout
    bare = str(uuid.UUID(boss["id"].removeprefix("bos_")))
    assert cstar("game", "bosses", bare, "--json").json() == boss
    wrong = cstar("game", "bosses", boss["ticketIds"][0])
    assert wrong.exit_code == 1 and "bossId" in wrong.stderr
