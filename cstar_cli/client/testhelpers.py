"""The test helpers of a test environment (test keys only): reset it (D33); its clock (D21) is
``client.clock``.

::

    cstar.test_helpers.reset()               # {"object": "reset", "deleted": {"tickets": 3, …}}
    await acstar.test_helpers.reset()        # the same on the async client
"""

from __future__ import annotations

from typing import Any

from cstar_cli.client.resources import Call, Caller

PATH = ("test-helpers",)


class TestHelpersResource:
    """``/teams/{teamId}/test-helpers/…``; a live key is refused (403)."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, client: Caller) -> None:
        self._client = client

    def _call(self, method: str, *parts: str, json: Any = None) -> Any:
        return self._client._call(Call(method, (*PATH, *parts), json=json))

    def reset(self) -> Any:
        """Delete the test environment's data; the team, seed members and seed keys stay."""
        return self._call("POST", "reset")
