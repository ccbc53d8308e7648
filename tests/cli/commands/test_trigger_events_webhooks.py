"""``cstar trigger``, ``cstar events`` and ``cstar webhooks`` end to end: the real local platform,
a real HTTP receiver on 127.0.0.1, and signatures checked the way a user's receiver would."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from cstar_cli.client.signing import SignatureVerificationError, construct_event
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.trigger.errors import FixtureError
from cstar_cli.trigger.fixtures import FIXTURES, fixture_for
from cstar_cli.wire import catalog
from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import RunningPlatform
from tests.support.receivers import Received, Receiver
from tests.support.waiting import eventually

DEADLINE = 5.0


def for_event(event_type: str, key: str, value: str) -> Callable[[Received], bool]:
    """Hits of ``event_type`` whose ``data.<object>.id`` (or another data key) is ``value``."""

    def match(hit: Received) -> bool:
        if hit.headers.get("x-event-type") != event_type:
            return False
        return bool(hit.event["data"].get(key, {}).get("id") == value)

    return match


# -- trigger ---------------------------------------------------------------------------------------


def test_trigger_list_shows_all_35_by_category(cli: CliFn) -> None:
    human = cli("trigger", "--list")
    assert human.exit_code == 0, human.output
    for name in catalog.EVENT_TYPES:
        assert name in human.stdout
    assert "Gamification (10)" in human.stdout and "A ticket is resolved or closed." in human.stdout
    listed = cli("trigger", "--list", "--json").json()
    assert [e["type"] for e in listed] == list(catalog.EVENT_TYPES) and len(listed) == 35
    assert {e["type"] for e in listed if e["fixture"]} == set(FIXTURES)
    assert all(e["description"] and e["category"] for e in listed)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("trigger", "ticket.creatd"), "ticket.created"),
        (("trigger", "achievement.unlocked"), "player.achievement_unlocked"),
        (("trigger", "tickt.closed", "--fixture"), "ticket.closed"),
        (
            ("webhooks", "create", "--url", "http://127.0.0.1:9/h", "--events", "tickt.*"),
            "ticket.*",
        ),
        (("webhooks", "test", "whk_x", "--event", "custmer.created"), "customer.created"),
        (("events", "list", "--type", "ticket.creatd"), "ticket.created"),
    ],
)
def test_unknown_event_names_suggest_before_any_network(
    cli: CliFn, args: tuple[str, ...], expected: str
) -> None:
    # Not logged in and no platform: anything that reached for the API would exit 4 or 5.
    run = cli(*args)
    assert_clean_error(run, 2, "Unknown event type", expected)
    assert run.stdout == ""


def test_trigger_usage_errors(cli: CliFn) -> None:
    assert_clean_error(cli("trigger"), 2, "Name the event type", "--list")
    assert_clean_error(
        cli("trigger", "ticket.created", "--override", "ticket.title=x"), 2, "--fixture"
    )


def test_trigger_sends_a_synthetic_event_to_subscribed_webhooks(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "boss.*")
    run = cli("trigger", "boss.spawned", "--json")
    assert run.exit_code == 0, run.output
    result = run.json()
    assert result["event"] == "boss.spawned" and result["webhooks"] >= 1
    [hit] = receiver.matching(lambda h: h.headers.get("x-event-id") == result["eventId"])
    assert hit.headers["x-webhook-id"] == hook["id"]
    event = construct_event(hit.body, hit.headers["x-signature"], hook["secret"])
    assert event["type"] == "boss.spawned" and event["id"] == result["eventId"]

    human = cli("trigger", "boss.defeated")
    assert human.exit_code == 0, human.output
    assert "Triggered boss.defeated" in human.stderr and "webhook" in human.stderr
    event_id = human.stdout.strip()
    assert event_id.startswith("evt_boss_defeated_")
    receiver.matching(lambda h: h.headers.get("x-event-id") == event_id)


def test_trigger_with_no_subscribers_says_how_to_get_one(cli: CliFn) -> None:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as fresh:  # a team with no webhooks and no listen sessions
        target = ("--api-base", fresh.api_base, "--api-key", fresh.keys.secret_key)
        run = cli(*target, "trigger", "survey.submitted")
    assert run.exit_code == 0, run.output
    assert "Sent to 0 webhooks and 0 listen sessions." in run.stderr
    assert "cstar webhooks create" in run.stderr and "cstar listen" in run.stderr
    assert run.stdout.strip().startswith("evt_survey_submitted_")


# -- fixtures ----------------------------------------------------------------------------------


def test_a_type_without_a_fixture_is_a_usage_error() -> None:
    with pytest.raises(FixtureError) as caught:
        fixture_for("ticket.archived")
    assert caught.value.usage and caught.value.code == "no_fixture"
    assert caught.value.hint and "ticket.closed" in caught.value.hint


# The team and game fixtures change the team's preferences, add members and move the team clock:
# test_fixture_catalogue.py runs them on a platform of its own, never on the shared one.
SHARED_SAFE = sorted(
    name for name in FIXTURES if catalog.category_of(name) not in ("Team", "Gamification")
)


@pytest.mark.parametrize("event_type", SHARED_SAFE)
def test_each_fixture_makes_its_event_happen(
    cli: CliFn, logged_in: RunningPlatform, event_type: str
) -> None:
    run = cli("trigger", event_type, "--fixture", "--json")
    assert run.exit_code == 0, run.output
    result = run.json()
    assert [s["step"] for s in result["steps"]] == [s.name for s in FIXTURES[event_type].steps]
    assert all(200 <= s["status"] < 300 for s in result["steps"])
    produced = [e["id"] for e in result["events"] if e["type"] == event_type]
    assert produced, result["events"]

    listed = cli("events", "list", "--type", event_type, "--since", "1m", "--json")
    assert listed.exit_code == 0, listed.output
    assert set(produced) <= {e["id"] for e in listed.json()}


def test_fixture_human_output_shows_steps_and_events(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    run = cli("trigger", "ticket.closed", "--fixture")
    assert run.exit_code == 0, run.output
    for step in ("customer", "ticket", "close"):
        assert f"→ {step}" in run.stderr
    assert "Fixture ticket.closed finished" in run.stderr
    for event_type in ("customer.created", "ticket.created", "ticket.updated", "ticket.closed"):
        assert event_type in run.stdout
    assert "evt_ticket_closed_" in run.stdout


def test_override_sets_fields_of_the_created_objects(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    name = f"Ada {uuid.uuid4().hex[:6]}"
    run = cli(
        "trigger", "ticket.created", "--fixture", "--json",
        "--override", "ticket.priority=urgent",
        "--override", "ticket.metadata.source.tool=cstar-test",
        "--override", f"customer.name={name}",
        "--override", 'customer.tags:=["vip","beta"]',
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    steps = {s["step"]: s["result"] for s in run.json()["steps"]}
    ticket = cli("tickets", "get", steps["ticket"]["id"], "--json").json()
    assert ticket["priority"] == "urgent"
    assert ticket["metadata"] == {"source": {"tool": "cstar-test"}}
    assert ticket["customerName"] == name
    customer = cli("customers", "get", steps["customer"]["id"], "--json").json()
    assert customer["name"] == name and customer["tags"] == ["vip", "beta"]
    created = [e for e in run.json()["events"] if e["type"] == "ticket.created"]
    assert created[0]["data"]["ticket"]["priority"] == "urgent"


@pytest.mark.parametrize(
    ("event_type", "override", "fragment"),
    [
        ("ticket.closed", "ticket.priority", "expected step.field=value"),
        ("ticket.closed", "ticket=urgent", "expected step.field=value"),
        ("ticket.closed", "ticket..x=1", "expected step.field=value"),
        ("ticket.closed", "tikcet.priority=urgent", "no step 'tikcet'"),
        ("ticket.deleted", "delete.reason=x", "sends no body"),
        ("ticket.closed", "ticket.tags:=[oops", "not JSON"),
        ("ticket.closed", "customer.name.first=Ada", "name is not an object"),
        ("customer.created", "customer.notes=${ticket.id}", "not an earlier step"),
    ],
)
def test_bad_overrides_are_usage_errors(
    cli: CliFn, logged_in: RunningPlatform, event_type: str, override: str, fragment: str
) -> None:
    before = {e["id"] for e in cli("events", "list", "--since", "1h", "--all", "--json").json()}
    run = cli("trigger", event_type, "--fixture", "--override", override)
    assert_clean_error(run, 2, fragment)
    after = {e["id"] for e in cli("events", "list", "--since", "1h", "--all", "--json").json()}
    assert after <= before  # nothing ran


def test_fixture_refuses_a_live_key(cli: CliFn, logged_in: RunningPlatform) -> None:
    live = logged_in.live_secret_key
    before = cli("--api-key", live, "customers", "list", "--json").json()
    run = cli("--api-key", live, "trigger", "ticket.closed", "--fixture")
    assert_clean_error(run, 2, "test mode only", "live key", "sk_test_")
    assert live not in run.output
    as_json = cli("--api-key", live, "trigger", "ticket.closed", "--fixture", "--json")
    assert as_json.exit_code == 2 and as_json.stdout == ""
    assert json.loads(as_json.stderr)["error"]["code"] == "live_mode_refused"
    assert cli("--api-key", live, "customers", "list", "--json").json() == before


# -- webhooks ------------------------------------------------------------------------------------


def test_ticket_created_via_cli_arrives_signed(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "ticket.created")
    secret = hook["secret"]
    assert secret.startswith("whsec_") and hook["signingSecret"] == secret

    ticket = cli("tickets", "create", "--title", "Webhook me", "--json").json()
    [hit] = receiver.matching(for_event("ticket.created", "ticket", ticket["id"]))
    event = construct_event(hit.body, hit.headers["x-signature"], secret)
    assert event["type"] == "ticket.created" and event["data"]["ticket"]["title"] == "Webhook me"
    assert hit.headers["x-event-id"] == event["id"] and hit.headers["x-webhook-id"] == hook["id"]
    assert hit.headers["x-delivery-attempt"] == "1" and "x-cstar-signature" in hit.headers
    with pytest.raises(SignatureVerificationError):
        construct_event(hit.body, hit.headers["x-signature"], "whsec_" + "x" * 32)


def test_create_prints_the_secret_once_then_redacts(
    cli: CliFn, logged_in: RunningPlatform, receiver: Receiver
) -> None:
    run = cli(
        "webhooks", "create", "--url", receiver.url, "--events", "customer.*, ticket.closed",
        "--name", "CRM sync", "--no-legacy-signature", "--inactive",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    line = next(x for x in run.stdout.splitlines() if x.startswith("Signing secret:"))
    secret = line.split(":", 1)[1].strip()
    assert secret.startswith("whsec_") and len(secret) > 20
    assert "only time" in run.stderr and "CSTAR_WEBHOOK_SECRET" in run.stderr
    hook_id = next(x.split()[1] for x in run.stdout.splitlines() if x.startswith("id "))
    try:
        got = cli("webhooks", "get", hook_id, "--json").json()
        assert "secret" not in got and got["events"] == ["customer.*", "ticket.closed"]
        assert got["isActive"] is False and got["legacySignature"] is False
        assert got["name"] == "CRM sync"
        for args in (("get", hook_id), ("list", "--inactive", "--all")):
            shown = cli("webhooks", *args)
            assert shown.exit_code == 0 and secret not in shown.output
        assert hook_id in cli("webhooks", "list", "--inactive", "--all").stdout
        active = cli("webhooks", "list", "--active", "--all", "--json").json()
        assert hook_id not in {h["id"] for h in active}

        updated = cli(
            "webhooks", "update", hook_id, "--active", "--events", "article.*", "--json"
        ).json()  # fmt: skip
        assert updated["isActive"] is True and updated["events"] == ["article.*"]
        assert_clean_error(cli("webhooks", "update", hook_id), 2, "Nothing to update")
        assert_clean_error(
            cli("webhooks", "update", hook_id, "--url", "ftp://x"), 2, "not an http(s) URL"
        )
    finally:
        assert cli("webhooks", "delete", hook_id, "--yes").exit_code == 0


def test_webhooks_test_exit_codes(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "ticket.created")
    ok = cli("webhooks", "test", hook["id"], "--event", "ticket.closed")
    assert ok.exit_code == 0, ok.output
    assert "HTTP 200" in ok.stderr
    [hit] = receiver.matching(lambda h: h.headers.get("x-event-type") == "ticket.closed")
    construct_event(hit.body, hit.headers["x-signature"], hook["secret"])

    receiver.status = 500
    failed = cli("webhooks", "test", hook["id"])
    assert_clean_error(failed, 1, "HTTP 500", "webhooks deliveries")
    as_json = cli("webhooks", "test", hook["id"], "--json")
    assert as_json.exit_code == 1 and as_json.stdout == ""
    assert json.loads(as_json.stderr)["error"]["code"] == "webhook_test_failed"

    missing = cli("webhooks", "test", "whk_" + "0" * 32)
    assert_clean_error(missing, 1, "webhooks list")


def test_deliveries_show_failed_attempts_and_retries(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    receiver.status = 500
    hook = hooks(receiver.url, "customer.created")
    email = f"fail-{uuid.uuid4().hex[:8]}@example.com"
    customer = cli("customers", "create", "--name", "Failing", "--email", email, "--json").json()
    receiver.matching(for_event("customer.created", "customer", customer["id"]), count=2)

    failed = eventually(
        lambda: cli("webhooks", "deliveries", hook["id"], "--status", "failed", "--json").json(),
        lambda failed: len(failed) >= 2,
        DEADLINE,
        every=0.05,
    )
    assert len(failed) >= 2 and {d["status"] for d in failed} == {"failed"}
    assert {d["responseStatus"] for d in failed} == {500}
    assert {d["eventType"] for d in failed} == {"customer.created"}
    assert {1, 2} <= {d["attempt"] for d in failed}
    receiver.status = 200

    table = cli("webhooks", "deliveries", hook["id"], "--status", "failed")
    assert table.exit_code == 0, table.output
    assert "failed" in table.stdout and "500" in table.stdout and "customer.created" in table.stdout
    assert "succeeded" not in table.stdout


def test_events_get_and_resend_to_a_webhook(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "ticket.*")
    ticket = cli("tickets", "create", "--title", "Resend me", "--json").json()
    [first] = receiver.matching(for_event("ticket.created", "ticket", ticket["id"]))
    event_id = first.headers["x-event-id"]

    def mine_of(event: dict[str, Any]) -> list[dict[str, Any]]:
        return [d for d in event["deliveries"] if d["webhookId"] == hook["id"]]

    event = eventually(
        lambda: cli("events", "get", event_id, "--json").json(),
        lambda event: any(d["status"] == "succeeded" for d in mine_of(event)),
        DEADLINE,
        every=0.05,
    )
    mine = mine_of(event)
    assert event["id"] == event_id and event["data"]["ticket"]["id"] == ticket["id"]
    assert [d["status"] for d in mine] == ["succeeded"] and mine[0]["responseStatus"] == 200

    human = cli("events", "get", event_id)
    assert human.exit_code == 0, human.output
    assert "Payload:" in human.stdout and '"type": "ticket.created"' in human.stdout
    assert hook["id"] in human.stdout and "succeeded" in human.stdout

    resent = cli("events", "resend", event_id, "--webhook", hook["id"], "--json")
    assert resent.exit_code == 0, resent.output
    assert resent.json()["resentTo"] == 1 and len(resent.json()["deliveryIds"]) == 1
    hits = receiver.matching(lambda h: h.headers.get("x-event-id") == event_id, count=2)
    assert hits[1].body == first.body and hits[1].headers["x-delivery-attempt"] == "2"
    construct_event(hits[1].body, hits[1].headers["x-signature"], hook["secret"])

    again = cli("events", "resend", event_id)
    assert again.exit_code == 0 and "Resending" in again.stderr
    receiver.matching(lambda h: h.headers.get("x-event-id") == event_id, count=3)

    missing = cli("events", "get", "evt_nope")
    assert_clean_error(missing, 1, "evt_nope")


def test_events_list_filters_and_time_parsing(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("trigger", "customer.deleted", "--fixture", "--json").json()
    ids = {e["id"] for e in run["events"]}
    recent = cli("events", "list", "--type", "customer.*", "--since", "2m", "--all", "--json")
    assert ids <= {e["id"] for e in recent.json()}
    assert {e["type"].split(".")[0] for e in recent.json()} == {"customer"}
    old = cli("events", "list", "--until", "2020-01-01", "--json").json()
    assert old == []
    table = cli("events", "list", "--type", "customer.deleted", "--page-size", "2")
    assert table.exit_code == 0 and "customer.deleted" in table.stdout and "Page 1" in table.stderr
    assert_clean_error(cli("events", "list", "--since", "yesterday"), 2, "Invalid --since")
    assert_clean_error(cli("events", "list", "--type", "a.b,c.d"), 2, "one event type")


def test_rotate_secret_new_verifies_old_does_not(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "ticket.created")
    refused = cli("webhooks", "rotate-secret", hook["id"])
    assert_clean_error(refused, 2, "--yes", "not a terminal")

    rotated = cli("webhooks", "rotate-secret", hook["id"], "--yes", "--json")
    assert rotated.exit_code == 0, rotated.output
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != hook["secret"]

    assert cli("webhooks", "test", hook["id"]).exit_code == 0
    [hit] = receiver.matching(lambda h: True)
    assert construct_event(hit.body, hit.headers["x-signature"], new)["type"] == "ticket.created"
    with pytest.raises(SignatureVerificationError):
        construct_event(hit.body, hit.headers["x-signature"], hook["secret"])

    human = cli("webhooks", "rotate-secret", hook["id"], "--yes")
    assert human.exit_code == 0 and "Signing secret: whsec_" in human.stdout


def test_delete_without_yes_off_a_terminal_is_a_clear_error(
    cli: CliFn, logged_in: RunningPlatform, receiver: Receiver
) -> None:
    hook = cli(
        "webhooks", "create", "--url", receiver.url, "--events", "*", "--json"
    ).json()  # fmt: skip
    refused = cli("webhooks", "delete", hook["id"])
    assert_clean_error(refused, 2, "Delete webhook", "not a terminal", "--yes")
    assert cli("webhooks", "get", hook["id"]).exit_code == 0
    deleted = cli("webhooks", "delete", hook["id"], "--yes", "--json")
    assert deleted.json() == {"id": hook["id"], "deleted": True}
    assert_clean_error(cli("webhooks", "get", hook["id"]), 1, "webhooks list")
