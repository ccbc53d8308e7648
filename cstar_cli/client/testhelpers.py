"""The test helpers of a test environment (test keys only): reset it (D33), move its clock (D21).

::

    cstar.test_helpers.reset()               # {"object": "reset", "deleted": {"tickets": 3, …}}
    cstar.test_helpers.advance_clock(3600)   # {"object": "test_clock", "offsetSeconds": 3600, …}
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

    def clock(self) -> Any:
        """The test clock: ``now`` (team time) and ``offsetSeconds``."""
        return self._call("GET", "clock")

    def advance_clock(self, seconds: int) -> Any:
        """Move the test clock forward; what became due fires."""
        return self._call("POST", "clock", "advance", json={"seconds": seconds})

    def reset_clock(self) -> Any:
        """Set the test clock back to real time."""
        return self._call("POST", "clock", "reset")
