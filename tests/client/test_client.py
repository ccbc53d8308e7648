"""CstarClient and AsyncCstarClient: envelopes, errors, paging, retries, idempotency."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from cstar_cli import __version__
from cstar_cli.client import (
    AsyncCstarClient,
    AuthenticationError,
    ConflictError,
    CstarClient,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    ValidationError,
)
from tests.support.platforms import RunningPlatform


def no_sleep(seconds: float) -> None:
    return None


def test_envelope_errors_and_paging(platform: RunningPlatform) -> None:
    with CstarClient(platform.secret_key, api_base=platform.api_base) as cstar:
        who = cstar.whoami()
        assert who["teamId"] == platform.team_id and cstar.team_id == platform.team_id
        tag = "paging-client"
        for n in range(3):
            cstar.customers.create(
                {"name": f"P{n}", "email": f"p{n}@paging.example", "tags": [tag]}
            )
        page = cstar.customers.list({"tag": tag, "pageSize": 2})
        assert len(page.data) == 2 and page.has_more and page.pagination is not None
        assert page.pagination.total == 3 and page.request_id and page.request_id.startswith("req_")
        assert len(list(cstar.customers.iter_all({"tag": tag}, page_size=1))) == 3
        assert cstar.last_meta["requestId"].startswith("req_")

        with pytest.raises(NotFoundError) as missing:
            cstar.tickets.get("tkt_" + "9" * 32)
        err = missing.value
        assert err.status == 404 and err.code == "resource_missing"
        assert err.request_id and err.request_id.startswith("req_") and err.doc_url

        with pytest.raises(ValidationError) as invalid:
            cstar.tickets.create({"priority": "urgent"})
        assert invalid.value.param == "title" and invalid.value.status == 400

        replay_key = "client-replay-1"
        first = cstar.request(
            "POST", cstar.team_path("tickets"), json={"title": "R"}, idempotency_key=replay_key
        )
        again = cstar.request(
            "POST", cstar.team_path("tickets"), json={"title": "R"}, idempotency_key=replay_key
        )
        assert again.replayed and again.data["id"] == first.data["id"]
        with pytest.raises(ConflictError) as conflict:
            cstar.tickets.create({"title": "other"}, idempotency_key=replay_key)
        assert conflict.value.code == "idempotency_key_reused" and conflict.value.status == 409

    with CstarClient(platform.publishable_key, api_base=platform.api_base) as public:
        with pytest.raises(PermissionDeniedError) as denied:
            public.tickets.create({"title": "x"})
        assert denied.value.code == "publishable_key_write"
    with (
        CstarClient("sk_test_" + "Z" * 32, api_base=platform.api_base) as wrong,
        pytest.raises(AuthenticationError),
    ):
        wrong.whoami()


def test_headers_and_idempotency_key_reused_across_retries() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            raise httpx.ConnectError("connection reset")
        if len(seen) == 2:
            return httpx.Response(
                429,
                headers={"Retry-After": "2"},
                json={
                    "error": {
                        "type": "rate_limit_error",
                        "code": "rate_limit_exceeded",
                        "message": "slow",
                    }
                },
            )
        return httpx.Response(
            201, json={"success": True, "data": {"id": "tkt_1"}, "meta": {"requestId": "req_1"}}
        )

    delays: list[float] = []
    client = CstarClient(
        "sk_test_" + "A" * 32,
        team_id="team",
        api_base="http://cstar.test",
        transport=httpx.MockTransport(handler),
        sleep=delays.append,
        retry=RetryPolicy(max_retries=3, jitter=lambda: 1.0),
    )
    assert client.tickets.create({"title": "x"}) == {"id": "tkt_1"}
    keys = {r.headers["idempotency-key"] for r in seen}
    assert len(seen) == 3 and len(keys) == 1
    assert seen[0].headers["user-agent"] == f"cstar-cli/{__version__}"
    assert seen[0].headers["authorization"].startswith("Bearer sk_test_")
    assert delays[0] == pytest.approx(0.5) and delays[1] >= 2.0
    client.tickets.list()
    assert "idempotency-key" not in seen[-1].headers  # reads carry none


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4, jitter=lambda: 1.0)
    assert [policy.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    low = RetryPolicy(base_delay=0.5, max_delay=4, jitter=lambda: 0.0)
    assert low.backoff(1) == 0.5


def test_async_client_against_the_platform(platform: RunningPlatform) -> None:
    async def scenario() -> None:
        async with AsyncCstarClient(platform.secret_key, api_base=platform.api_base) as cstar:
            ticket = await cstar.tickets.create({"title": "async"})
            assert (await cstar.tickets.get(ticket["id"]))["title"] == "async"
            updated = await cstar.tickets.update(ticket["id"], {"status": "open"})
            assert updated["status"] == "open"
            seen = [t["id"] async for t in cstar.tickets.iter_all({"search": "async"})]
            assert ticket["id"] in seen
            assert (await cstar.tickets.delete(ticket["id"]))["deleted"] is True
            with pytest.raises(NotFoundError):
                await cstar.tickets.get(ticket["id"])

    asyncio.run(scenario())


def test_async_client_offers_the_same_resources_as_the_sync_one(platform: RunningPlatform) -> None:
    async def scenario() -> None:
        async with AsyncCstarClient(platform.secret_key, api_base=platform.api_base) as cstar:
            ticket = await cstar.tickets.create({"title": "resource api"})
            message = await cstar.tickets.messages.create(ticket["id"], {"content": "hello"})
            page = await cstar.tickets.messages.list(ticket["id"])
            assert message["id"] in [m["id"] for m in page.data]
            seen = [t["id"] async for t in cstar.tickets.iter_all({"search": "resource api"})]
            assert seen == [ticket["id"]]
            fired = await cstar.webhooks.trigger_test("ticket.created")
            event = await cstar.events.get(fired["eventId"])
            assert event["type"] == "ticket.created"
            assert (await cstar.tickets.delete(ticket["id"]))["deleted"] is True

    with CstarClient(platform.secret_key, api_base=platform.api_base) as sync:
        made = sync.tickets.create({"title": "resource api sync"})
        assert sync.tickets.get(made["id"])["title"] == "resource api sync"
        sync.tickets.delete(made["id"])
    asyncio.run(scenario())


def test_api_package_never_imports_the_cli_layers() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import cstar_cli.client as a; a.CstarClient; a.AsyncCstarClient; "
        "import cstar_cli.client.identity; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click') "
        "or m.startswith('cstar_cli.cli.commands')]; print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
