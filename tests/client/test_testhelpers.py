"""``client.test_helpers``: reset the test environment, move its clock, export and import its
data, sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from cstar_cli.client import AsyncCstarClient, CstarAPIError, CstarClient
from tests.support.platforms import OwnPlatform, platform_of_its_own


def test_both_clients_reset_and_move_the_clock() -> None:
    with platform_of_its_own() as server:
        keys = server.keys
        with CstarClient(keys.secret_key, api_base=server.api_base) as cstar:
            cstar.tickets.create({"title": "to be reset"})
            assert cstar.clock.advance(600)["offsetSeconds"] == 600
            assert cstar.clock.show()["offsetSeconds"] == 600
            assert cstar.clock.reset()["offsetSeconds"] == 0
            assert cstar.test_helpers.reset()["deleted"]["tickets"] == 1
            assert cstar.tickets.list().data == []

        async def scenario() -> dict[str, int]:
            async with AsyncCstarClient(keys.secret_key, api_base=server.api_base) as cstar:
                await cstar.tickets.create({"title": "async"})
                deleted: dict[str, int] = (await cstar.test_helpers.reset())["deleted"]
                return deleted

        assert asyncio.run(scenario())["tickets"] == 1


def test_both_clients_export_and_import_a_data_file() -> None:
    with platform_of_its_own() as server:
        keys = server.keys
        with CstarClient(keys.secret_key, api_base=server.api_base) as cstar:
            cstar.customers.create({"name": "Ada", "email": "ada@x.test"})
            snapshot = cstar.test_helpers.export()
            assert snapshot["cstarData"] == 1
            assert [c["email"] for c in snapshot["customers"]] == ["ada@x.test"]
            cstar.tickets.create({"title": "after the snapshot"})
            answer = cstar.test_helpers.import_data(snapshot)
            assert answer["loaded"]["customers"] == 1 and answer["deleted"]["tickets"] == 1
            assert cstar.tickets.list().data == []
            assert cstar.test_helpers.export() == snapshot
            bad = {**snapshot, "tickets": [{"title": "x", "customerId": "zed@x.test"}]}
            with pytest.raises(CstarAPIError) as refused:
                cstar.test_helpers.import_data(bad)
            assert refused.value.status == 400
            assert refused.value.param == "tickets[0].customerId"

        async def scenario() -> dict[str, Any]:
            async with AsyncCstarClient(keys.secret_key, api_base=server.api_base) as cstar:
                document: dict[str, Any] = await cstar.test_helpers.export()
                await cstar.test_helpers.import_data(document)
                return document

        assert asyncio.run(scenario()) == snapshot


def test_team_now_is_the_test_clocks_time_for_a_test_key(
    own_platform: Callable[..., OwnPlatform],
) -> None:
    p = own_platform()
    keys, base = p.server.keys, p.server.api_base
    with CstarClient(keys.secret_key, api_base=base) as cstar:
        cstar.clock.advance(600)
        assert cstar.team_now() == p.clock.now + 600  # D37: relative windows count from here
    sent: list[str] = []
    with CstarClient(
        keys.live_secret_key, api_base=base, on_request=lambda spec, *_: sent.append(spec.url)
    ) as live:
        live.team_now()  # a live key's time is real time: nothing is asked
    assert sent == []

    async def scenario() -> float:
        async with AsyncCstarClient(keys.secret_key, api_base=base) as cstar:
            return await cstar.team_now()

    assert asyncio.run(scenario()) == p.clock.now + 600
