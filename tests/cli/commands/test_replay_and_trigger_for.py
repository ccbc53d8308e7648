"""``cstar events resend --set`` (replay with edits) and ``cstar trigger TYPE --for ID`` (D39)
end to end: the real local platform and a real receiver on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cstar_cli.client.signing import construct_event
from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import RunningPlatform
from tests.support.receivers import Received, Receiver


def about(ticket_id: str, event_type: str) -> Callable[[Received], bool]:
    return lambda r: r.event["type"] == event_type and r.event["data"]["ticket"]["id"] == ticket_id


def test_trigger_for_a_real_ticket_delivers_its_current_title(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "ticket.updated")
    ticket = cli("tickets", "create", "--title", "First title", "--json").json()
    assert cli("tickets", "update", ticket["id"], "--title", "Today's title").exit_code == 0
    receiver.matching(about(ticket["id"], "ticket.updated"))  # the real update's event

    run = cli("trigger", "ticket.updated", "--for", ticket["id"], "-d", "changes.status.from=open")
    assert run.exit_code == 0, run.output
    event_id = run.stdout.strip()
    assert f"Triggered ticket.updated from {ticket['id']}" in run.stderr
    [hit] = receiver.matching(lambda r: r.headers["x-event-id"] == event_id)
    event = construct_event(hit.body, hit.headers["x-signature"], hook["secret"])
    assert event["data"]["ticket"]["id"] == ticket["id"]
    assert event["data"]["ticket"]["title"] == "Today's title"
    assert event["data"]["changes"] == {"status": {"from": "open"}}
    assert set(event) == {"id", "type", "created_at", "team_id", "livemode", "data"}
    shown = cli("events", "get", event_id)
    assert shown.exit_code == 0, shown.output
    assert "synthetic" in shown.stdout
    assert cli("events", "get", event_id, "--json").json()["origin"] == "synthetic"


def test_trigger_for_an_object_of_another_kind_is_a_usage_error(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    customer = cli("customers", "create", "--name", "Ada", "--email", "ada@example.com", "--json")
    customer_id = customer.json()["id"]
    wrong = cli("trigger", "ticket.created", "--for", customer_id)
    assert_clean_error(wrong, 2, "customer.created, customer.updated, customer.deleted", "tkt_")
    assert_clean_error(cli("trigger", "ticket.created", "--for", "xyz_1"), 2, "tkt_…", "cus_…")
    assert_clean_error(cli("trigger", "ticket.created", "-d", "a=b"), 2, "--for")
    assert_clean_error(
        cli("trigger", "customer.updated", "--for", customer_id, "-d", "changes:={"), 2, "JSON"
    )
    made = cli("trigger", "customer.updated", "--for", customer_id, "--json")
    assert made.exit_code == 0, made.output
    event = cli("events", "get", made.json()["eventId"], "--json").json()
    assert event["data"]["customer"]["email"] == "ada@example.com"


def test_resend_with_set_delivers_the_edited_payload_as_a_new_event(
    cli: CliFn, receiver: Receiver, hooks: Callable[..., dict[str, Any]]
) -> None:
    hook = hooks(receiver.url, "ticket.created")
    ticket = cli("tickets", "create", "--title", "Replay me", "--json").json()
    [original] = receiver.matching(about(ticket["id"], "ticket.created"))
    original_id = original.event["id"]

    run = cli(
        "events",
        "resend",
        original_id,
        "--set",
        "data.ticket.priority=urgent",
        "--set",
        'data.ticket.tags:=["vip"]',
    )
    assert run.exit_code == 0, run.output
    new_id = run.stdout.strip().splitlines()[-1]
    assert new_id != original_id and new_id.startswith("evt_ticket_created_")
    assert f"Replayed {original_id} with edits as {new_id}" in run.stderr
    assert hook["id"] in run.stdout  # where it went
    [hit] = receiver.matching(lambda r: r.headers["x-event-id"] == new_id)
    replayed = construct_event(hit.body, hit.headers["x-signature"], hook["secret"])
    assert replayed["data"]["ticket"]["priority"] == "urgent"
    assert replayed["data"]["ticket"]["tags"] == ["vip"]
    assert replayed["data"]["ticket"]["title"] == "Replay me"
    assert "origin" not in replayed and "replayOf" not in replayed

    shown = cli("events", "get", new_id)
    assert shown.exit_code == 0, shown.output
    assert "replay" in shown.stdout and original_id in shown.stdout
    payload = shown.stdout.split("Payload:", 1)[1].split("Deliveries", 1)[0]
    assert '"origin"' not in payload and '"replayOf"' not in payload
    as_json = cli("events", "get", new_id, "--json").json()
    assert as_json["origin"] == "replay" and as_json["replayOf"] == original_id
    listed = cli("events", "list", "--origin", "replay", "--json").json()
    assert new_id in [e["id"] for e in listed] and original_id not in [e["id"] for e in listed]


def test_resend_with_bad_paths_is_a_usage_error_naming_the_problem(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    fired = cli("trigger", "ticket.created", "--json").json()
    event_id = fired["eventId"]
    assert_clean_error(
        cli("events", "resend", event_id, "--set", "data.ticket.priorty=urgent"),
        2,
        "data.ticket has no 'priorty'",
        "Did you mean 'priority'",
    )
    assert_clean_error(
        cli("events", "resend", event_id, "--set", "type=ticket.closed"),
        2,
        "only the payload's data",
    )
    assert_clean_error(
        cli("events", "resend", event_id, "--set", "data.ticket.title.x=1"),
        2,
        "data.ticket.title is",
        "not an object",
    )
    assert_clean_error(cli("events", "resend", event_id, "--set", "data.ticket"), 2, "path=value")
    assert_clean_error(
        cli("events", "resend", event_id, "--set", "data.ticket.tags:=[oops"), 2, "not JSON"
    )
    replays = cli("events", "list", "--origin", "replay", "--json").json()
    assert all(e["replayOf"] != event_id for e in replays)


@pytest.mark.parametrize(
    ("event_type", "source"),
    [
        ("community_post.voted", ("post", "id")),
        ("community_post.commented", ("comment", "id")),
        ("survey.submitted", ("survey", "id")),
        ("customer_group.updated", ("customer_group", "id")),
    ],
)
def test_trigger_for_newer_objects_carries_what_the_real_event_carried(
    cli: CliFn, logged_in: RunningPlatform, event_type: str, source: tuple[str, str]
) -> None:
    made = cli("trigger", event_type, "--fixture", "--json")
    assert made.exit_code == 0, made.output
    [real_id] = [e["id"] for e in made.json()["events"] if e["type"] == event_type]
    real = cli("events", "get", real_id, "--json").json()
    object_id = real["data"][source[0]][source[1]]

    run = cli("trigger", event_type, "--for", object_id, "--json")
    assert run.exit_code == 0, run.output
    synthetic = cli("events", "get", run.json()["eventId"], "--json").json()
    assert synthetic["origin"] == "synthetic"
    real["data"].pop("changes", None)  # what changed is the caller's to say (-d changes…)
    assert synthetic["data"].pop("changes", {}) == {}
    assert synthetic["data"] == real["data"]
