"""Team and member preferences (D46) over a real socket: defaults, changes and their events,
validation, what ``defaultPriority`` and ``gamificationEnabled`` do, who may call, and reset."""

from __future__ import annotations

from cstar_cli.wire.times import parse_iso
from tests.platform.game.conftest import MINUTE, Game
from tests.support.receivers import Receiver

DEFAULT_TEAM = {
    "object": "team_preferences",
    "timezone": "UTC",
    "businessHours": {
        "enabled": False,
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "start": "09:00",
        "end": "17:00",
    },
    "gamificationEnabled": True,
    "defaultPriority": "normal",
    "updatedAt": None,
}


def _team(game: Game) -> dict[str, object]:
    return game.obj(game.http.get("/team/preferences"))


def test_team_preferences_start_at_the_defaults_and_a_change_fires_one_event(
    game: Game, receiver: Receiver
) -> None:
    game.ok(game.http.post("/webhooks", json={"url": receiver.url, "events": ["team.*"]}), 201)
    shown = _team(game)
    assert shown == {**DEFAULT_TEAM, "teamId": game.server.keys.team_id}

    changed = game.obj(
        game.http.patch(
            "/team/preferences",
            json={"timezone": "Europe/Berlin", "businessHours": {"enabled": True, "end": "18:00"}},
        )
    )

    assert changed["timezone"] == "Europe/Berlin"
    assert changed["businessHours"] == {
        "enabled": True,
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "start": "09:00",
        "end": "18:00",
    }
    assert changed["updatedAt"] is not None and _team(game) == changed
    event = receiver.event_of_type("team.preferences_updated")
    assert event["data"]["team"]["id"] == game.server.keys.team_id
    assert event["data"]["updated_by"] is None
    assert event["data"]["changes"]["timezone"] == {"from": "UTC", "to": "Europe/Berlin"}
    assert event["data"]["changes"]["business_hours"]["to"]["end"] == "18:00"
    assert event["data"]["preferences"]["timezone"] == "Europe/Berlin"

    game.obj(game.http.patch("/team/preferences", json={"timezone": "Europe/Berlin"}))
    assert len(game.events("team.preferences_updated")) == 1  # nothing changed: no event


def test_bad_team_preferences_are_400_naming_the_field(game: Game) -> None:
    cases = [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"defaultPriority": "critical"}, "defaultPriority"),
        ({"businessHours": {"start": "18:00", "end": "09:00"}}, "businessHours.end"),
        ({"businessHours": {"start": "9am"}}, "businessHours.start"),
        ({"colour": "blue"}, "colour"),
    ]
    for body, param in cases:
        response = game.http.patch("/team/preferences", json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"]["param"] == param, body
    assert _team(game)["updatedAt"] is None


def test_a_member_changes_their_preferences(game: Game, receiver: Receiver) -> None:
    game.ok(game.http.post("/webhooks", json={"url": receiver.url, "events": ["agent.*"]}), 201)
    grace = game.member("Grace")
    path = f"/members/{grace['id']}/preferences"
    assert game.obj(game.http.get(path)) == {
        "object": "member_preferences",
        "memberId": grace["id"],
        "notifications": {"email": True, "desktop": True, "mobile": True},
        "theme": "system",
        "soundEffects": True,
        "updatedAt": None,
    }

    changed = game.obj(
        game.http.patch(path, json={"theme": "dark", "notifications": {"email": False}})
    )

    assert changed["theme"] == "dark"
    assert changed["notifications"] == {"email": False, "desktop": True, "mobile": True}
    event = receiver.event_of_type("agent.preferences_updated")
    assert event["data"]["member"]["member_id"] == grace["id"]
    assert event["data"]["changes"] == {
        "theme": {"from": "system", "to": "dark"},
        "email_notifications": {"from": True, "to": False},
    }
    alan = game.member("Alan")
    assert game.obj(game.http.get(f"/members/{alan['id']}/preferences"))["theme"] == "system"
    missing = game.http.get("/members/mem_" + "0" * 32 + "/preferences")
    assert missing.status_code == 404
    assert game.http.patch(path, json={"theme": "neon"}).status_code == 400


def test_default_priority_applies_to_tickets_created_without_one(game: Game) -> None:
    assert game.ticket()["priority"] == "normal"
    game.obj(game.http.patch("/team/preferences", json={"defaultPriority": "urgent"}))

    ticket = game.ticket()
    explicit = game.ticket(priority="low")

    assert ticket["priority"] == "urgent"
    response_window = parse_iso(ticket["responseDeadline"]) - parse_iso(ticket["createdAt"])
    assert response_window == 15 * MINUTE  # the urgent rule gives its deadlines
    assert explicit["priority"] == "low"


def test_with_the_game_off_tickets_earn_nothing_and_no_boss_spawns(game: Game) -> None:
    game.obj(game.http.patch("/team/preferences", json={"gamificationEnabled": False}))
    grace = game.member("Grace")
    alan = game.member("Alan")

    closed = game.ticket(priority="normal", assignedTo=grace["id"])
    game.close(closed["id"])
    game.ticket(priority="urgent", assignedTo=grace["id"])
    game.advance(12 * MINUTE)
    refused = game.http.post(
        "/game/social/high-fives", json={"fromMemberId": grace["id"], "toMemberId": alan["id"]}
    )

    assert game.events("player.*") == [] and game.events("boss.*") == []
    assert game.bosses() == []
    player = game.player(grace["id"])
    assert (player["xp"], player["stats"]["ticketsClosed"]) == (0, 0)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "gamification_disabled"

    game.obj(game.http.patch("/team/preferences", json={"gamificationEnabled": True}))
    second = game.ticket(priority="normal", assignedTo=grace["id"])
    game.close(second["id"])
    assert [e["type"] for e in game.events("player.xp_gained")] == ["player.xp_gained"]


def test_preferences_are_for_secret_keys_and_quests_for_any_key(game: Game) -> None:
    grace = game.member("Grace")
    with game.client(game.server.keys.publishable_key) as public:
        read = public.get("/team/preferences")
        write = public.patch("/team/preferences", json={"timezone": "UTC"})
        member_read = public.get(f"/members/{grace['id']}/preferences")
        member_write = public.patch(f"/members/{grace['id']}/preferences", json={"theme": "dark"})
        quests = public.get("/game/quests", params={"memberId": grace["id"]})
        high_five = public.post(
            "/game/social/high-fives",
            json={"fromMemberId": grace["id"], "toMemberId": game.member("Alan")["id"]},
        )
    assert read.status_code == 403 and read.json()["error"]["code"] == "insufficient_permissions"
    assert member_read.status_code == 403
    for refused in (write, member_write, high_five):
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "publishable_key_write"
    assert quests.status_code == 200 and len(quests.json()["data"]) == 3
    assert _team(game)["updatedAt"] is None


def test_reset_puts_preferences_back_to_their_defaults(game: Game) -> None:
    grace = game.member("Grace")
    game.obj(game.http.patch("/team/preferences", json={"timezone": "Asia/Tokyo"}))
    game.obj(game.http.patch(f"/members/{grace['id']}/preferences", json={"theme": "light"}))

    deleted = game.obj(game.http.post("/test-helpers/reset"))["deleted"]

    assert deleted["teamPreferences"] == 1 and deleted["memberPreferences"] == 1
    assert _team(game) == {**DEFAULT_TEAM, "teamId": game.server.keys.team_id}
    mine = game.obj(game.http.get(f"/members/{grace['id']}/preferences"))
    assert mine["theme"] == "system" and mine["updatedAt"] is None


def test_a_verified_identity_does_not_open_preferences_or_social(game: Game) -> None:
    import base64

    from cstar_cli.client.identity import sign_identity

    keys = game.server.keys
    payload, digest = sign_identity(keys.secret_key, email="ada@portal.test")
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    identity = {"X-Cstar-Identity": encoded, "X-Cstar-Identity-Hash": digest}
    grace, alan = game.member("Grace"), game.member("Alan")
    with game.client(keys.publishable_key) as portal:
        tickets = portal.get("/tickets", headers=identity)  # the identity verifies (D18)
        read = portal.get("/team/preferences", headers=identity)
        write = portal.patch(f"/members/{grace['id']}/preferences", headers=identity, json={})
        sent = portal.post(
            "/game/social/one-ups",
            headers=identity,
            json={"fromMemberId": grace["id"], "toMemberId": alan["id"]},
        )
    assert tickets.status_code == 200, tickets.text
    assert read.status_code == 403 and read.json()["error"]["code"] == "insufficient_permissions"
    for refused in (write, sent):
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "publishable_key_write"
    assert game.events("social.*") == []


def test_the_openapi_document_describes_the_new_routes_and_their_access(game: Game) -> None:
    import httpx

    doc = httpx.get(f"{game.api_base}/openapi.json", timeout=10).json()
    team = "/api/v1/teams/{teamId}"
    paths = doc["paths"]
    prefs = paths[f"{team}/team/preferences"]
    assert set(prefs) >= {"get", "patch"} and "x-cstar-access" not in prefs["get"]
    assert "x-cstar-access" not in paths[f"{team}/members/{{memberId}}/preferences"]["patch"]
    assert paths[f"{team}/game/quests"]["get"]["x-cstar-access"] == "public"
    for social in ("high-fives", "one-ups"):
        operation = paths[f"{team}/game/social/{social}"]["post"]
        assert "x-cstar-access" not in operation and "201" in operation["responses"]
        assert "daily_limit_reached" in operation["responses"]["409"]["description"]
