"""The pytest fixtures ``cstar_platform`` and ``cstar_dev`` (D36).

Installed with the package (the ``pytest11`` entry point ``cstar``), so a project that depends on
``cstar-cli`` has them without a ``conftest.py``::

    def test_my_handler_gets_ticket_created(cstar_dev):
        inbox = cstar_dev.receiver()
        cstar_dev.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
        cstar_dev.client().tickets.create({"title": "Printer on fire"})
        [delivery] = inbox.wait_for("ticket.created")
        assert delivery.verified

- ``cstar_platform``: one :class:`~cstar_cli.testing.LocalPlatform` for the test session, started
  the first time a test asks for it and stopped at the end. Under pytest-xdist each worker
  process has its own, so tests on different workers never see each other's data.
- ``cstar_dev``: the same platform, reset (D33) before the test — an empty test environment with
  the same keys — and with the receivers the test made closed after it.

No fixture is autouse and this module imports only pytest: a session that uses neither fixture
starts nothing and never loads the platform. For other settings (``rate_limits=True``, a shorter
``retry_scale``) write your own fixture around ``LocalPlatform``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from cstar_cli.testing.local import LocalPlatform


@pytest.fixture(scope="session")
def cstar_platform() -> Iterator[LocalPlatform]:
    """The session's local cStar platform (one per pytest-xdist worker); not reset between
    tests — use ``cstar_dev`` for that."""
    from cstar_cli.testing.local import LocalPlatform

    with LocalPlatform() as platform:
        yield platform


@pytest.fixture
def cstar_dev(cstar_platform: LocalPlatform) -> Iterator[LocalPlatform]:
    """The session's platform, reset before the test; the test's receivers close after it."""
    cstar_platform.close_receivers()
    cstar_platform.reset()
    yield cstar_platform
    cstar_platform.close_receivers()
