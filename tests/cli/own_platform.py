"""A platform of a test's own, for tests that move its clock or fill it (the shared one stays
as it was), optionally with the default profile logged in to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings
from tests.cli.conftest import CliFn


@contextmanager
def own_platform(cli: CliFn | None = None) -> Iterator[PlatformThread]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as server:
        if cli is not None:
            run = cli("login", "--api-base", server.api_base, "--api-key", server.keys.secret_key)
            assert run.exit_code == 0, run.output
        yield server
