"""Fixtures of the end-to-end command tests: a real receiver, and webhooks made with the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.cli import CliFn
from tests.support.platforms import RunningPlatform
from tests.support.receivers import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real endpoint that records every POST; set ``receiver.status`` to answer otherwise."""
    with Receiver() as running:
        yield running


@pytest.fixture
def hooks(cli: CliFn, logged_in: RunningPlatform) -> Iterator[Callable[..., dict[str, Any]]]:
    """``hooks(url, events, *flags)`` creates a webhook with the CLI; all are deleted afterwards."""
    created: list[str] = []

    def create(url: str, events: str, *flags: str) -> dict[str, Any]:
        run = cli("webhooks", "create", "--url", url, "--events", events, *flags, "--json")
        assert run.exit_code == 0, run.output
        hook: dict[str, Any] = run.json()
        created.append(hook["id"])
        return hook

    yield create
    with logged_in.client() as http:
        for hook_id in created:
            http.delete(logged_in.team_url(f"/webhooks/{hook_id}"))
