"""Test your code against cStar: the local platform inside your test process (D36).

::

    from cstar_cli.testing import LocalPlatform

    with LocalPlatform() as cstar:
        inbox = cstar.receiver()
        cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
        cstar.client().tickets.create({"title": "Printer on fire"})
        [delivery] = inbox.wait_for("ticket.created")
        assert delivery.verified

- :class:`LocalPlatform` — the platform on a background thread, on a real socket (127.0.0.1, a
  free port), in memory: ``api_base``, ``team_id``, ``secret_key``, ``publishable_key``,
  ``client()``, ``async_client()``, ``reset()``, ``clock.advance()``, ``events()``,
  ``receiver()``.
- :class:`Receiver` — a local webhook endpoint that records deliveries, checks their signatures
  and answers as told; :class:`Delivery` is one POST it got; :class:`DeliveryTimeout` is what
  ``wait_for`` raises.
- The pytest fixtures ``cstar_platform`` (one platform per session, per worker under
  pytest-xdist) and ``cstar_dev`` (the same platform, reset before the test) come with the
  package (:mod:`cstar_cli.testing.plugin`); nothing starts unless a test asks for one.

Names load lazily: importing this package (as pytest does for the fixtures) costs nothing;
``LocalPlatform`` loads the platform.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cstar_cli.testing.local import LocalClock, LocalPlatform
    from cstar_cli.testing.receiver import Delivery, DeliveryTimeout, Headers, Receiver

_EXPORTS = {
    "LocalPlatform": "cstar_cli.testing.local",
    "LocalClock": "cstar_cli.testing.local",
    "Receiver": "cstar_cli.testing.receiver",
    "Delivery": "cstar_cli.testing.receiver",
    "DeliveryTimeout": "cstar_cli.testing.receiver",
    "Headers": "cstar_cli.testing.receiver",
}

__all__ = ["Delivery", "DeliveryTimeout", "Headers", "LocalClock", "LocalPlatform", "Receiver"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
