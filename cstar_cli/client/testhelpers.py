"""The test helpers of a test environment (test keys only): reset it (D33), and its data as a
data file, out and in (D34); its clock (D21) is ``client.clock``.

::

    cstar.test_helpers.reset()               # {"object": "reset", "deleted": {"tickets": 3, …}}
    snapshot = cstar.test_helpers.export()   # {"cstarData": 1, "customers": [...], …}
    cstar.test_helpers.import_data(snapshot) # {"object": "import", "deleted": …, "loaded": …}
    await acstar.test_helpers.reset()        # the same on the async client
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cstar_cli.client.resources import Call, Caller

PATH = ("test-helpers",)


class TestHelpersResource:
    """``/teams/{teamId}/test-helpers/…``; a live key is refused (403)."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, client: Caller) -> None:
        self._client = client

    def _call(self, method: str, *parts: str, json: Any = None, bare: bool = False) -> Any:
        return self._client._call(Call(method, (*PATH, *parts), json=json, bare=bare))

    def reset(self) -> Any:
        """Delete the test environment's data; the team, seed members and seed keys stay."""
        return self._call("POST", "reset")

    def export(self) -> Any:
        """The test environment's data as a data file document (no secrets; members by
        email). ``cstar_cli.wire.datafile.render`` writes it as ``cstar dev export`` does."""
        return self._call("GET", "export", bare=True)

    def import_data(self, document: Mapping[str, Any]) -> Any:
        """Replace the test environment's data with ``document`` (a reset, then the load, in
        one transaction); a bad document is a 400 naming its JSON path, and nothing changes."""
        return self._call("POST", "import", json=dict(document))
