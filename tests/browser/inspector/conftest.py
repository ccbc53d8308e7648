"""The inspector's pages in Chromium: one local platform per module (fast retries, no rate
limits), a secret-key API client for it, and the 401s the pages log by design allowed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings


@pytest.fixture(scope="module")
def server() -> Iterator[PlatformThread]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False, retry_scale=0.001)
    with PlatformThread(settings) as platform:
        yield platform


@pytest.fixture
def api(server: PlatformThread) -> Iterator[httpx.Client]:
    """The platform's team API with its secret key."""
    with httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {server.keys.secret_key}"},
        timeout=10,
    ) as client:
        yield client


@pytest.fixture
def console_errors_allowed() -> Callable[[str], bool]:
    """The 401s of used links and ended sessions; any other (a CSP violation, say) fails."""
    return lambda message: "401" in message
