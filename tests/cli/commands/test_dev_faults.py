"""``cstar dev faults`` (D38) against a local platform on a real socket, and what our own client
does about the faults: it rides out a 503×2 on a write with one Idempotency-Key, honours a
429's Retry-After, and the marks show in ``cstar logs``, ``events get`` and ``webhooks
deliveries``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cstar_cli.testing import LocalPlatform
from tests.support.cli import CliFn, Sleeps
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def shared() -> Iterator[LocalPlatform]:
    with LocalPlatform() as platform:
        yield platform


@pytest.fixture
def cstar(shared: LocalPlatform, cli: CliFn) -> Iterator[LocalPlatform]:
    shared.reset()
    run = cli("login", "--api-base", shared.api_base, "--api-key", shared.secret_key)
    assert run.exit_code == 0, run.output
    yield shared
    shared.close_receivers()


def test_a_write_rides_out_two_503s_with_one_idempotency_key(
    cstar: LocalPlatform, cli: CliFn, sleeps: Sleeps
) -> None:
    added = cli("dev", "faults", "add", "--api", "POST /tickets", "--status", "503", "--count", "2")
    assert added.exit_code == 0, added.output
    assert "flt_" in added.stderr and "POST /tickets → answers 503, 2 time(s)" in added.stderr
    run = cli("tickets", "create", "--title", "Printer on fire")
    assert run.exit_code == 0, run.output
    retries = [line for line in run.stderr.splitlines() if line.startswith("Retrying POST")]
    assert len(retries) == 2, run.stderr
    assert all("503 service_unavailable" in r and "same Idempotency-Key" in r for r in retries)
    assert len(sleeps.calls) == 2
    assert cstar.client().tickets.list().pagination.total == 1
    posts = cstar.client().logs.list({"method": "POST", "path": "/tickets"}).data
    [fault] = cstar.faults.list()
    assert sorted((e["status"], e["fault"]) for e in posts) == [
        (201, None),
        (503, fault["id"]),
        (503, fault["id"]),
    ]
    assert len({e["idempotencyKey"] for e in posts}) == 1  # the same key on every attempt
    logs = cli("logs", "--method", "POST")
    assert logs.stdout.count(f"fault: {fault['id']}") == 2, logs.stdout
    as_json = cli("logs", "--method", "POST", "--json")
    assert sum(f'"fault": "{fault["id"]}"' in line for line in as_json.stdout.splitlines()) == 2


def test_a_429_fault_makes_the_client_wait_its_retry_after(
    cstar: LocalPlatform, cli: CliFn, sleeps: Sleeps
) -> None:
    added = cli(
        "dev", "faults", "add", "--api", "GET /tickets", "--status", "429", "--retry-after", "3"
    )
    assert added.exit_code == 0, added.output
    run = cli("tickets", "list")
    assert run.exit_code == 0, run.output
    assert "429 rate_limit_exceeded" in run.stderr
    assert len(sleeps.calls) == 1 and sleeps.calls[0] >= 3  # Retry-After honoured
    gets = cstar.client().logs.list({"method": "GET", "path": "/tickets"}).data
    assert [e["status"] for e in reversed(gets)] == [429, 200]


def test_faults_are_listed_removed_and_cleared(cstar: LocalPlatform, cli: CliFn) -> None:
    first = cli("dev", "faults", "add", "--api", "/tickets/*", "--delay", "1.5s", "--json")
    assert first.exit_code == 0, first.output
    added = first.json()
    assert (added["delayMs"], added["match"]["path"], added["count"]) == (1500, "/tickets/*", 1)
    second = cli(
        "dev", "faults", "add", "--deliveries", "--events", "ticket.*", "--duplicate",
        "--until-removed", "--json",
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert second.json()["count"] is None and second.json()["match"]["eventTypes"] == ["ticket.*"]
    listed = cli("dev", "faults", "list")
    assert listed.exit_code == 0, listed.output
    assert "delays 1500 ms" in listed.stdout and "delivers twice" in listed.stdout
    assert "until removed" in listed.stdout
    assert [f["id"] for f in cli("dev", "faults", "list", "--json").json()] == [
        added["id"],
        second.json()["id"],
    ]
    removed = cli("dev", "faults", "remove", added["id"])
    assert removed.exit_code == 0 and f"Removed fault {added['id']}" in removed.stderr
    gone = cli("dev", "faults", "remove", added["id"])
    assert gone.exit_code != 0 and "No fault" in gone.stderr
    cleared = cli("dev", "faults", "clear", "--json")
    assert cleared.json() == {"object": "faults_cleared", "deleted": 1}
    assert "No faults." in cli("dev", "faults", "list").output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "--api 'METHOD /path' or --deliveries"),
        (("--api", "POST /tickets", "--deliveries", "--duplicate"), "one of them"),
        (("--api", "POST /tickets"), "needs --status"),
        (("--api", "POST /tickets", "--status", "418"), "429, 500, 502, 503 or 504"),
        (("--api", "FETCH /tickets", "--status", "503"), "not a request to match"),
        (("--api", "POST /tickets", "--status", "503", "--duplicate"), "--duplicate is for"),
        (("--deliveries",), "needs --duplicate"),
        (("--deliveries", "--status", "503"), "for --api faults"),
        (("--deliveries", "--delay", "soon"), "not a delay"),
        (("--deliveries", "--sign-with", "my-secret"), "wrong-secret or old-secret"),
        (("--api", "/x", "--status", "503", "--count", "2", "--until-removed"), "go together"),
    ],
)
def test_bad_usage_exits_2_naming_the_accepted_forms(
    cstar: LocalPlatform, cli: CliFn, args: tuple[str, ...], says: str
) -> None:
    run = cli("dev", "faults", "add", *args)
    assert run.exit_code == 2, run.output
    assert says in run.stderr
    assert "cstar dev faults add --api 'POST /tickets' --status 503" in run.stderr
    assert cstar.faults.list() == []


def test_faults_are_for_a_local_platform_only(cstar: LocalPlatform, cli: CliFn) -> None:
    run = cli("--api-base", "https://api.example.com", "dev", "faults", "list")
    assert run.exit_code == 2
    assert "for a local platform only" in run.stderr


def test_delivery_faults_are_marked_in_events_get_and_webhooks_deliveries(
    cstar: LocalPlatform, cli: CliFn
) -> None:
    inbox = cstar.receiver()
    hook = cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    added = cli("dev", "faults", "add", "--deliveries", "--duplicate", "--webhook", hook["id"])
    assert added.exit_code == 0, added.output
    [fault] = cstar.faults.list()
    cstar.client().tickets.create({"title": "Twice"})
    first, second = inbox.wait_for("ticket.created", count=2)
    assert first.event_id == second.event_id and (first.attempt, second.attempt) == (1, 2)
    eventually(
        lambda: cstar.client().events.get(str(first.event_id))["deliveries"],
        lambda ds: [d["status"] for d in ds] == ["succeeded", "succeeded"],
    )
    shown = cli("events", "get", str(first.event_id))
    assert shown.exit_code == 0, shown.output
    assert "FAULT" in shown.stdout and shown.stdout.count(fault["id"]) == 2
    listed = cli("webhooks", "deliveries", hook["id"])
    assert listed.exit_code == 0, listed.output
    assert "FAULT" in listed.stdout and listed.stdout.count(fault["id"]) == 2
