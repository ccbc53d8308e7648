"""The 35-type event catalogue (cstar_cli.wire): patterns, suggestions, synthetic payloads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from cstar_cli.wire import catalog
from cstar_cli.wire.catalog import (
    CATEGORIES,
    DESCRIPTIONS,
    EVENT_TYPES,
    UnknownEventTypeError,
    envelope,
    event_id,
    matches,
    sample_data,
    suggest,
    validate_patterns,
)

# platform-facts §4.1, typed out independently of the module under test.
DOCUMENTED = {
    "Tickets": "ticket.created ticket.updated ticket.closed ticket.message_added ticket.deleted "
    "ticket.assigned",
    "Customers": "customer.created customer.updated customer.deleted customer_group.created "
    "customer_group.updated customer_group.deleted",
    "Articles": "article.created article.published article.updated article.deleted",
    "Team": "team.preferences_updated agent.preferences_updated",
    "Gamification": "boss.spawned boss.damaged boss.defeated player.level_up "
    "player.achievement_unlocked player.xp_gained player.quest_completed "
    "player.streak_milestone social.one_up_sent social.high_five_sent",
    "Community": "community_post.created community_post.updated community_post.status_changed "
    "community_post.commented community_post.deleted community_post.voted",
    "Surveys": "survey.submitted",
}

TEAM_ID = "0b9d2c61f5a34e0f9a7c3e1d2b4f6a80"
SLUG = "acme"
NOW = 1_767_225_600.123
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
PREFIXED = re.compile(r"^(tkt|cus|art|msg|mem)_[0-9a-f]{32}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def sample(event_type: str) -> dict[str, Any]:
    return sample_data(event_type, team_id=TEAM_ID, team_slug=SLUG, now=NOW)


def walk(value: Any, path: str = "data") -> list[tuple[str, str, Any]]:
    """Every (path, key, value) pair in a JSON value."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((path, key, item))
            found.extend(walk(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(walk(item, f"{path}[{index}]"))
    return found


def test_the_catalogue_is_exactly_the_documented_35_types_in_7_categories() -> None:
    assert len(EVENT_TYPES) == 35
    assert len(set(EVENT_TYPES)) == 35
    assert list(CATEGORIES) == list(DOCUMENTED)
    for category, names in DOCUMENTED.items():
        assert list(CATEGORIES[category]) == names.split(), category
    assert [len(v) for v in CATEGORIES.values()] == [6, 6, 4, 2, 10, 6, 1]


def test_every_type_has_a_one_line_description_and_a_category() -> None:
    rows = catalog.events()
    assert [row.name for row in rows] == list(EVENT_TYPES)
    for row in rows:
        assert row.description == DESCRIPTIONS[row.name]
        assert 10 < len(row.description) <= 100, row.name
        assert "\n" not in row.description
        assert row.description.endswith("."), row.name
        assert catalog.category_of(row.name) == row.category
        assert catalog.is_known(row.name)
    assert not catalog.is_known("achievement.unlocked")
    with pytest.raises(UnknownEventTypeError):
        catalog.category_of("ticket.exploded")


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_type_has_a_snake_case_json_sample(event_type: str) -> None:
    data = sample(event_type)
    event = envelope(event_type, data, team_id=TEAM_ID, livemode=False, now=NOW)

    assert json.loads(json.dumps(event)) == event  # plain JSON, round-trips
    assert data, event_type
    for path, key, value in walk(event):
        assert SNAKE.match(key), f"{path}.{key} is not snake_case"
        if isinstance(value, str) and re.match(r"^(tkt|cus|art|msg|mem)_", value):
            assert PREFIXED.match(value), f"{path}.{key}={value!r}"
        if key.endswith("_at") and value is not None:
            assert ISO.match(value), f"{path}.{key}={value!r}"


def test_samples_are_deterministic_for_the_same_inputs_and_vary_with_time() -> None:
    assert sample("ticket.created") == sample("ticket.created")
    later = sample_data("ticket.created", team_id=TEAM_ID, team_slug=SLUG, now=NOW + 1)
    assert later["ticket"]["id"] != sample("ticket.created")["ticket"]["id"]


@pytest.mark.parametrize("event_type", CATEGORIES["Tickets"])
def test_ticket_samples_carry_the_documented_ticket_and_customer(event_type: str) -> None:
    data = sample(event_type)
    ticket, customer = data["ticket"], data["customer"]

    assert set(ticket) >= {
        "id", "prefixed_id", "title", "status", "priority", "channel", "customer_id",
        "customer_name", "assigned_to", "tags", "created_at", "updated_at", "dashboard_url",
    }  # fmt: skip
    assert ticket["id"].startswith("tkt_")
    assert re.fullmatch(r"CST-\d{4}", ticket["prefixed_id"])
    assert ticket["dashboard_url"] == (
        f"https://www.cstar.help/team/{SLUG}/tickets?selected={ticket['id']}"
    )
    assert ticket["status"] in {"new", "open", "pending", "resolved", "closed"}
    assert ticket["priority"] in {"low", "normal", "high", "urgent"}
    assert customer["id"] == ticket["customer_id"]
    assert customer["name"] == ticket["customer_name"]
    assert {"id", "name", "email"} <= set(customer)


def test_ticket_specifics() -> None:
    created = sample("ticket.created")["ticket"]
    assert created["status"] == "new"
    assert created["created_at"] == created["updated_at"]

    updated = sample("ticket.updated")
    assert updated["changes"]
    for field, change in updated["changes"].items():
        assert set(change) == {"from", "to"}
        assert updated["ticket"][field] == change["to"]

    assert sample("ticket.closed")["ticket"]["status"] in {"resolved", "closed"}
    assigned = sample("ticket.assigned")
    assert assigned["ticket"]["assigned_to"].startswith("mem_")
    assert assigned["changes"]["assigned_to"]["to"] == assigned["ticket"]["assigned_to"]
    message = sample("ticket.message_added")["message"]
    assert message["id"].startswith("msg_")
    assert message["ticket_id"] == sample("ticket.message_added")["ticket"]["id"]


def test_customer_and_article_samples() -> None:
    for name in ("customer.created", "customer.updated", "customer.deleted"):
        assert sample(name)["customer"]["id"].startswith("cus_")
    assert sample("customer.updated")["changes"]
    for name in CATEGORIES["Customers"][3:]:
        assert sample(name)["customer_group"]["name"]
    for name in CATEGORIES["Articles"]:
        assert sample(name)["article"]["id"].startswith("art_")
    published = sample("article.published")["article"]
    assert published["status"] == "published"
    assert published["published_at"]


def test_boss_samples() -> None:
    spawned = sample("boss.spawned")["boss"]
    boss_keys = {"id", "name", "hp", "max_hp", "status", "ticket_ids", "spawned_at", "expires_at"}
    assert boss_keys <= set(spawned)
    assert spawned["hp"] == spawned["max_hp"] == 100 * len(spawned["ticket_ids"])
    assert spawned["expires_at"] > spawned["spawned_at"]

    damaged = sample("boss.damaged")
    assert damaged["boss"]["hp"] == spawned["max_hp"] - damaged["damage"]
    assert damaged["member"]["member_id"].startswith("mem_")
    assert damaged["xp_awarded"] > 0
    assert damaged["ticket_id"] in damaged["boss"]["ticket_ids"]

    defeated = sample("boss.defeated")
    assert (defeated["boss"]["hp"], defeated["boss"]["status"]) == (0, "defeated")
    assert defeated["final_blow"]["member_id"].startswith("mem_")
    assert defeated["xp_awarded"] > 0


def test_player_and_social_samples() -> None:
    for name in CATEGORIES["Gamification"]:
        if name.startswith("player."):
            player = sample(name)["player"]
            assert {"member_id", "name", "level", "xp"} <= set(player)
            assert player["member_id"].startswith("mem_")
    level_up = sample("player.level_up")
    assert level_up["new_level"] == level_up["old_level"] + 1 == level_up["player"]["level"]
    assert set(sample("player.achievement_unlocked")["achievement"]) >= {
        "key",
        "name",
        "description",
    }
    xp = sample("player.xp_gained")
    assert xp["amount"] > 0
    assert xp["reason"]
    assert sample("player.streak_milestone")["days"] in {3, 7, 14, 30}
    assert sample("player.quest_completed")["quest"]["name"]
    for name in ("social.one_up_sent", "social.high_five_sent"):
        data = sample(name)
        assert data["from_member"]["member_id"] != data["to_member"]["member_id"]


def test_community_survey_and_team_samples() -> None:
    for name in CATEGORIES["Community"]:
        post = sample(name)["post"]
        assert {"id", "title", "slug", "body", "status", "vote_count", "comment_count"} <= set(post)
    status = sample("community_post.status_changed")
    assert status["changes"]["status"]["to"] == status["post"]["status"]
    assert sample("community_post.commented")["comment"]["body"]
    survey = sample("survey.submitted")["survey"]
    assert 1 <= survey["rating"] <= 5
    assert survey["comment"]
    assert sample("team.preferences_updated")["changes"]
    assert sample("agent.preferences_updated")["changes"]


def test_sample_data_rejects_unknown_and_old_names_with_a_suggestion() -> None:
    with pytest.raises(UnknownEventTypeError, match=r"player\.achievement_unlocked"):
        sample("achievement.unlocked")
    with pytest.raises(ValueError, match=r"ticket\.created"):
        sample("ticket.craeted")


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_each_pattern_form_selects_exactly_its_types(name: str) -> None:
    resource = name.split(".")[0]
    same_resource = [n for n in EVENT_TYPES if n.split(".")[0] == resource]
    assert [n for n in EVENT_TYPES if matches(name, n)] == [name]
    # customer.* takes customer.created but not customer_group.created, ticket.* no customer.…
    assert [n for n in EVENT_TYPES if matches(f"{resource}.*", n)] == same_resource
    assert [n for n in EVENT_TYPES if matches(f" {resource}.* ", n)] == same_resource
    assert matches("*", name)
    assert not [n for n in EVENT_TYPES if matches(resource, n)]  # a bare resource is no pattern


def test_validate_patterns_trims_splits_and_deduplicates() -> None:
    assert validate_patterns([" ticket.* ", "ticket.*,boss.defeated", "*", "boss.defeated"]) == [
        "ticket.*",
        "boss.defeated",
        "*",
    ]


@pytest.mark.parametrize(
    ("patterns", "fragments"),
    [
        (["ticket.craeted"], ["'ticket.craeted'", "Did you mean 'ticket.created'"]),
        (["achievement.unlocked"], ["'player.achievement_unlocked'"]),
        (["tickets.*"], ["'tickets.*'", "'ticket.*'"]),
        (["*.created"], ["Unsupported event pattern '*.created'", "resource.*"]),
        (["tick*"], ["Unsupported event pattern 'tick*'"]),
        (["ticket.created", "nonsense", "boss.*"], ["'nonsense'", "cstar trigger --list"]),
    ],
)
def test_validate_patterns_explains_what_is_wrong(
    patterns: list[str], fragments: list[str]
) -> None:
    with pytest.raises(ValueError) as info:
        validate_patterns(patterns)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_validate_patterns_reports_every_problem_at_once() -> None:
    with pytest.raises(UnknownEventTypeError) as info:
        validate_patterns(["ticket.creatd", "bos.spawned", "x*"])
    err = info.value
    assert err.unknown == ["ticket.creatd", "bos.spawned"]
    assert err.invalid == ["x*"]
    assert err.suggestions["ticket.creatd"][0] == "ticket.created"
    assert err.suggestions["bos.spawned"][0] == "boss.spawned"


def test_validate_patterns_needs_at_least_one() -> None:
    with pytest.raises(ValueError, match="No event types"):
        validate_patterns(["", " , "])


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("achievement.unlocked", "player.achievement_unlocked"),
        ("Achievement.Unlocked", "player.achievement_unlocked"),
        ("ticket.craeted", "ticket.created"),
        ("tiket.closed", "ticket.closed"),
        ("player.levelup", "player.level_up"),
        ("survey.submited", "survey.submitted"),
        ("community.post_created", "community_post.created"),
        ("tickets.*", "ticket.*"),
        ("ticket", "ticket.*"),
        ("social.high_five", "social.high_five_sent"),
    ],
)
def test_suggest(name: str, first: str) -> None:
    assert suggest(name)[0] == first


def test_suggest_has_nothing_for_nonsense() -> None:
    assert suggest("zzzzzz.qqqq") == []
    assert all(s in EVENT_TYPES or s.endswith(".*") for s in suggest("boss.created"))


def test_event_id_and_envelope_follow_d11() -> None:
    assert re.fullmatch(
        r"evt_player_achievement_unlocked_1767225600123_[A-Za-z0-9]{8}",
        event_id("player.achievement_unlocked", 1_767_225_600_123),
    )
    ids = {event_id("ticket.created", 1) for _ in range(50)}
    assert len(ids) == 50

    data = {"ticket": {"id": "tkt_x"}}
    event = envelope("ticket.created", data, team_id=TEAM_ID, livemode=True, now=NOW)
    assert list(event) == ["id", "type", "created_at", "team_id", "livemode", "data"]
    assert event["id"].startswith("evt_ticket_created_1767225600123_")
    assert event["type"] == "ticket.created"
    assert event["created_at"] == "2026-01-01T00:00:00.123Z"
    assert (event["team_id"], event["livemode"], event["data"]) == (TEAM_ID, True, data)


def test_importing_the_catalogue_and_signing_stays_cheap() -> None:
    code = (
        "import sys, cstar_cli.wire.catalog, cstar_cli.client.signing;"
        "heavy = ('typer', 'click', 'rich', 'httpx', 'fastapi', 'pydantic', 'cstar_cli.platform');"
        "print([m for m in sys.modules if m.startswith(heavy)])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_type_an_object_can_be_the_source_of_is_in_the_catalogue() -> None:
    from cstar_cli.wire import sources

    for family in sources.FAMILIES:
        assert family.types and set(family.types) <= set(catalog.EVENT_TYPES), family
    assert sources.mismatch("ticket.updated", "tkt_1") is None
    assert "customer.created" in (sources.mismatch("ticket.updated", "cus_1") or "")
    assert "tkt_…" in (sources.mismatch("ticket.updated", "whk_1") or "")
