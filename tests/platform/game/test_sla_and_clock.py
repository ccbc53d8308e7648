"""SLA rules (facts §3.10, D20) and the test clock (D21)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cstar_cli.wire.times import parse_iso
from tests.platform.game.conftest import MINUTE, Game
from tests.support.clocks import FakeClock


def test_the_d20_defaults_are_listed_and_rules_can_be_managed(game: Game) -> None:
    rules = game.ok(game.http.get("/sla/rules"))
    targets = {r["priority"]: (r["responseTarget"], r["resolutionTarget"]) for r in rules}
    assert targets == {
        "urgent": (15, 120),
        "high": (60, 480),
        "normal": (240, 1440),
        "low": (1440, 4320),
    }
    assert all(r["id"].startswith("sla_") and r["enabled"] for r in rules)

    body = {"name": "VIP urgent", "priority": "urgent", "responseTarget": 5, "resolutionTarget": 30}
    rule = game.ok(game.http.post("/sla/rules", json=body), 201)
    ticket = game.ticket(priority="urgent")
    created = parse_iso(ticket["createdAt"])
    assert parse_iso(ticket["responseDeadline"]) - created == 5 * MINUTE
    assert parse_iso(ticket["resolutionDeadline"]) - created == 30 * MINUTE
    game.advance(4 * MINUTE)  # 80 % of the new 5-minute window
    assert len(game.bosses("active")) == 1

    updated = game.ok(game.http.patch(f"/sla/rules/{rule['id']}", json={"enabled": False}))
    assert updated["enabled"] is False
    back = game.ticket(priority="urgent")  # the default urgent rule applies again
    assert parse_iso(back["responseDeadline"]) - parse_iso(back["createdAt"]) == 15 * MINUTE
    assert game.ok(game.http.get(f"/sla/rules/{rule['id']}"))["name"] == "VIP urgent"

    for existing in game.ok(game.http.get("/sla/rules", params={"priority": "low"})):
        assert game.http.delete(f"/sla/rules/{existing['id']}").json()["data"]["deleted"]
    no_sla = game.ticket(priority="low")
    assert no_sla["responseDeadline"] is None and no_sla["resolutionDeadline"] is None
    assert game.close(no_sla["id"])["resolutionTier"] is None

    bad = game.http.post("/sla/rules", json={**body, "responseTarget": 60})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "responseTarget"
    missing = game.http.post("/sla/rules", json={"name": "x", "priority": "low"})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "parameter_missing"
    gone = game.http.get("/sla/rules/sla_" + "0" * 32)
    assert gone.status_code == 404


def test_a_priority_change_recomputes_the_deadlines(game: Game) -> None:
    ticket = game.ticket(priority="low")
    urgent = game.update(ticket["id"], priority="urgent")
    assert parse_iso(urgent["resolutionDeadline"]) - parse_iso(urgent["createdAt"]) == 120 * MINUTE


def test_the_test_clock_moves_team_time_and_live_mode_refuses_it(game: Game) -> None:
    before = game.ok(game.http.get("/test-helpers/clock"))
    assert before["offsetSeconds"] == 0
    moved = game.advance(3600)
    assert moved["offsetSeconds"] == 3600 and moved["advancedBy"] == 3600
    assert parse_iso(moved["now"]) - parse_iso(before["now"]) == 3600
    assert parse_iso(game.ticket()["createdAt"]) == game.clock.now + 3600
    stamp = game.http.get("/tickets").json()["meta"]["timestamp"]
    assert parse_iso(stamp) == game.clock.now + 3600  # the envelope follows the team clock too

    keys = game.server.keys
    with game.client(keys.live_secret_key) as live:
        refused = live.post("/test-helpers/clock/advance", json={"seconds": 60})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "insufficient_permissions"
        assert live.get("/test-helpers/clock").status_code == 403
        live_ticket = live.post("/tickets", json={"title": "live"}).json()["data"]
        assert parse_iso(live_ticket["createdAt"]) == game.clock.now  # live time never moved
    with game.client(keys.publishable_key) as publishable:
        read_only = publishable.post("/test-helpers/clock/advance", json={"seconds": 60})
        assert read_only.json()["error"]["code"] == "publishable_key_write"
    for seconds in (0, -5, "60", True, 10**9):
        bad = game.http.post("/test-helpers/clock/advance", json={"seconds": seconds})
        assert bad.status_code == 400, seconds
        assert bad.json()["error"]["param"] == "seconds"


def test_the_clock_offset_survives_a_restart(
    start_game: Callable[..., Game], tmp_path: Path
) -> None:
    db = str(tmp_path / "cstar.db")
    clock = FakeClock()
    first = start_game(db, clock)
    first.advance(7200)
    first.http.close()
    first.server.stop()
    second = start_game(db, clock)
    assert second.ok(second.http.get("/test-helpers/clock"))["offsetSeconds"] == 7200
