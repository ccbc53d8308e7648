"""``LocalPlatform``: the platform inside the test process, its keys, clients, reset, clock,
events and receivers (D36)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from cstar_cli.client import CstarAPIError, CstarClient, RateLimitError
from cstar_cli.testing import LocalPlatform


@pytest.fixture(scope="module")
def shared() -> Iterator[LocalPlatform]:
    with LocalPlatform(retry_scale=0.001) as platform:  # a refused delivery retries after 30 ms
        yield platform


@pytest.fixture
def cstar(shared: LocalPlatform) -> Iterator[LocalPlatform]:
    shared.reset()
    yield shared
    shared.close_receivers()


def test_it_serves_on_loopback_with_the_seed_team_and_test_keys(cstar: LocalPlatform) -> None:
    assert cstar.running
    assert cstar.api_base.startswith("http://127.0.0.1:")
    assert cstar.secret_key.startswith("sk_test_")
    assert cstar.publishable_key.startswith("pk_test_")
    who = cstar.client().whoami()
    assert who["teamId"] == cstar.team_id
    assert cstar.environ() == {
        "CSTAR_API_BASE": cstar.api_base,
        "CSTAR_API_KEY": cstar.secret_key,
        "CSTAR_PUBLISHABLE_KEY": cstar.publishable_key,
        "CSTAR_TEAM_ID": cstar.team_id,
    }


def test_a_delivery_is_verified_with_the_secret_of_the_webhook_it_names(
    cstar: LocalPlatform,
) -> None:
    inbox = cstar.receiver()
    hook = cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
    ticket = cstar.client().tickets.create({"title": "Printer on fire"})
    [delivery] = inbox.wait_for("ticket.created")
    assert delivery.verified, delivery.verification_error
    assert delivery.webhook_id == hook["id"]
    assert delivery.payload is not None
    assert delivery.payload["data"]["ticket"]["id"] == ticket["id"]
    assert delivery.headers["X-Event-ID"] == delivery.event_id == delivery.payload["id"]


def test_a_given_secret_is_checked_instead(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver(secret="whsec_not_this_one")
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    cstar.client().tickets.create({"title": "Printer on fire"})
    [delivery] = inbox.wait_for("ticket.created")
    assert not delivery.verified
    assert (delivery.verification_error or "").startswith("signature_mismatch")


def test_a_rotated_secret_is_looked_up_afresh(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver()
    hook = cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    cstar.client().webhooks.rotate_secret(hook["id"])
    cstar.client().tickets.create({"title": "Printer on fire"})
    assert inbox.wait_for("ticket.created")[0].verified


def test_a_refused_delivery_is_retried(cstar: LocalPlatform) -> None:
    inbox = cstar.receiver().respond_with(500, times=1)
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    cstar.client().tickets.create({"title": "Printer on fire"})
    first, retry = inbox.wait_for("ticket.created", count=2)
    assert (first.attempt, first.status) == (1, 500)
    assert (retry.attempt, retry.status) == (2, 200)
    assert first.event_id == retry.event_id and retry.verified


def test_reset_empties_the_environment_and_keeps_the_keys(cstar: LocalPlatform) -> None:
    cstar.client().tickets.create({"title": "Printer on fire"})
    answer = cstar.reset()
    assert answer["object"] == "reset" and answer["deleted"]["tickets"] == 1
    assert cstar.client().tickets.list().data == []
    with CstarClient(cstar.secret_key, api_base=cstar.api_base) as fresh:
        assert fresh.whoami()["teamId"] == cstar.team_id


def test_the_clock_advances_by_seconds_or_a_timedelta_and_resets(cstar: LocalPlatform) -> None:
    cstar.clock.advance(60)
    answer = cstar.clock.advance(timedelta(hours=1))
    assert answer["offsetSeconds"] == 3660
    assert cstar.clock.show()["offsetSeconds"] == 3660
    assert cstar.clock.reset()["offsetSeconds"] == 0


def test_events_are_listed_oldest_first_and_filtered_by_type(cstar: LocalPlatform) -> None:
    ticket = cstar.client().tickets.create({"title": "Printer on fire"})
    cstar.client().customers.create({"name": "Ada", "email": "ada@example.org"})
    cstar.client().tickets.update(ticket["id"], {"priority": "urgent"})
    assert [e["type"] for e in cstar.events()] == [
        "ticket.created",
        "customer.created",
        "ticket.updated",
    ]
    assert [e["type"] for e in cstar.events(type="ticket.*")] == [
        "ticket.created",
        "ticket.updated",
    ]


def test_the_async_client_works_on_the_callers_loop(cstar: LocalPlatform) -> None:
    async def create() -> str:
        async with cstar.async_client() as client:
            ticket = await client.tickets.create({"title": "Printer on fire"})
            return str(ticket["title"])

    assert asyncio.run(create()) == "Printer on fire"


def test_a_client_closed_by_a_with_block_is_replaced(cstar: LocalPlatform) -> None:
    with cstar.client() as client:
        client.whoami()
    assert cstar.client().whoami()["teamId"] == cstar.team_id


def test_rate_limits_are_off_unless_asked_for(cstar: LocalPlatform) -> None:
    def whoami_101_times(platform: LocalPlatform) -> list[int]:
        headers = {"Authorization": f"Bearer {platform.publishable_key}"}  # 100 an hour
        with httpx.Client(base_url=platform.api_base, headers=headers) as http:
            return [http.get("/api/v1/auth/whoami").status_code for _ in range(101)]

    assert set(whoami_101_times(cstar)) == {200}
    with LocalPlatform(rate_limits=True) as limited:
        assert whoami_101_times(limited)[-1] == 429
        client = CstarClient(limited.publishable_key, api_base=limited.api_base)
        with client, pytest.raises(RateLimitError):
            client.whoami()


def test_stop_closes_its_receivers_and_the_address_is_gone() -> None:
    platform = LocalPlatform().start()
    inbox = platform.receiver()
    platform.stop()
    platform.stop()  # twice is fine
    assert not platform.running
    with pytest.raises(httpx.ConnectError):
        httpx.post(inbox.url, content=b"{}")


def test_a_platform_not_started_says_how_to_start_it() -> None:
    platform = LocalPlatform()
    with pytest.raises(RuntimeError, match="with LocalPlatform"):
        platform.client()
    with pytest.raises(RuntimeError, match="not started"):
        _ = platform.api_base


def test_a_platform_starts_once(cstar: LocalPlatform) -> None:
    with pytest.raises(RuntimeError, match="already started"):
        cstar.start()


def test_start_imports_no_library_the_import_did_not_load() -> None:
    """Importing ``cstar_cli.testing``'s LocalPlatform loads the libraries serving takes, so
    ``start()`` builds and serves (the cost a test session pays per platform)."""
    code = (
        "import sys\n"
        "from cstar_cli.testing import LocalPlatform\n"
        "before = {m.split('.')[0] for m in sys.modules}\n"
        "LocalPlatform().start().stop()\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} - before)))\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = {"fastapi", "starlette", "uvicorn", "httpx", "httpcore", "cryptography", "pydantic"}
    assert not heavy & set(ran.stdout.split()), ran.stdout


def test_load_replaces_the_data_and_export_writes_it_back(
    cstar: LocalPlatform, tmp_path: Path
) -> None:
    cstar.client().tickets.create({"title": "before the load"})
    document = {
        "cstarData": 1,
        "customers": [{"name": "Ada", "email": "ada@seed.test"}],
        "tickets": [{"title": "Printer on fire", "customerId": "ada@seed.test"}],
    }
    answer = cstar.load(document)
    assert answer["deleted"]["tickets"] == 1 and answer["loaded"]["tickets"] == 1
    [ticket] = cstar.client().tickets.list().data
    assert ticket["title"] == "Printer on fire" and ticket["customerName"] == "Ada"
    exported = cstar.export()
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(exported))
    cstar.load(path)
    assert cstar.export() == exported
    with pytest.raises(CstarAPIError) as refused:
        cstar.load({"cstarData": 1, "tickets": [{"title": "x", "customerId": "nobody@x.test"}]})
    assert refused.value.param == "tickets[0].customerId"
    assert cstar.export() == exported  # nothing applied


def test_a_seed_is_loaded_when_it_starts(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"cstarData": 1, "tickets": [{"title": "seeded"}]}))
    with LocalPlatform(seed=seed) as cstar:
        assert [t["title"] for t in cstar.client().tickets.list().data] == ["seeded"]
