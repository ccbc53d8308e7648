"""The test helpers of a test environment (test keys only): reset it (D33), its data as a
data file, out and in (D34), and faults on purpose (D38); its clock (D21) is ``client.clock``.

::

    cstar.test_helpers.reset()               # {"object": "reset", "deleted": {"tickets": 3, …}}
    snapshot = cstar.test_helpers.export()   # {"cstarData": 1, "customers": [...], …}
    cstar.test_helpers.import_data(snapshot) # {"object": "import", "deleted": …, "loaded": …}
    await acstar.test_helpers.reset()        # the same on the async client
    cstar.test_helpers.faults.api("POST /tickets", status=503, count=2)
    cstar.test_helpers.faults.deliveries(duplicate=True, event_types=["ticket.*"])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cstar_cli.client.resources import Call, Caller
from cstar_cli.wire.faults import parse_api_match

PATH = ("test-helpers",)


class TestHelpersResource:
    """``/teams/{teamId}/test-helpers/…``; a live key is refused (403)."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, client: Caller) -> None:
        self._client = client
        self.faults = FaultsResource(client)

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


class FaultsResource:
    """``/test-helpers/faults`` (D38): make the API fail or lag, and deliveries misbehave, on
    purpose; every call answers the fault (``{"id": "flt_…", "remaining": …}``) or the list.

    ``count`` is how many matches a fault takes (the platform's default: 1; for ``reorder=n``,
    one window of n); ``until_removed=True`` keeps it until :meth:`remove` or :meth:`clear`.
    """

    __test__ = False

    def __init__(self, client: Caller) -> None:
        self._client = client

    def _call(self, method: str, *parts: str, json: Any = None) -> Any:
        return self._client._call(Call(method, (*PATH, "faults", *parts), json=json))

    def add(self, fault: Mapping[str, Any]) -> Any:
        """Add a fault as the API takes it: ``{"on": "api", "match": {…}, "answer": {…}}``."""
        return self._call("POST", json=dict(fault))

    def api(
        self,
        match: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        delay_ms: int | None = None,
        count: int | None = None,
        until_removed: bool = False,
    ) -> Any:
        """Fail (``status``: 429, 500, 502, 503, 504) or delay (``delay_ms``) the requests
        ``match`` names — ``"POST /tickets"``, ``"/tickets/*"``, ``"DELETE"``."""
        method, path = parse_api_match(match)
        fault: dict[str, Any] = {"on": "api", "match": {"method": method, "path": path}}
        if status is not None:
            fault["answer"] = {"status": status, "retryAfter": retry_after}
        if delay_ms is not None:
            fault["delayMs"] = delay_ms
        return self.add(_counted(fault, count, until_removed))

    def deliveries(
        self,
        *,
        event_types: list[str] | None = None,
        webhook_id: str | None = None,
        duplicate: bool = False,
        reorder: int | None = None,
        delay_ms: int | None = None,
        sign_with: str | None = None,
        count: int | None = None,
        until_removed: bool = False,
    ) -> Any:
        """Make first webhook delivery attempts arrive twice (``duplicate``), shuffled in
        windows of ``reorder``, ``delay_ms`` late, or signed with ``"wrong-secret"`` or
        ``"old-secret"`` (the secret before the last rotation)."""
        fault: dict[str, Any] = {
            "on": "deliveries",
            "match": {"eventTypes": event_types, "webhookId": webhook_id},
            "duplicate": duplicate,
        }
        for name, value in (("reorder", reorder), ("delayMs", delay_ms), ("signWith", sign_with)):
            if value is not None:
                fault[name] = value
        return self.add(_counted(fault, count, until_removed))

    def list(self) -> Any:
        """Every fault of the test environment, oldest first, used-up ones included."""
        return self._call("GET")

    def get(self, fault_id: str) -> Any:
        return self._call("GET", fault_id)

    def remove(self, fault_id: str) -> Any:
        return self._call("DELETE", fault_id)

    def clear(self) -> Any:
        """Remove every fault: ``{"object": "faults_cleared", "deleted": n}``."""
        return self._call("DELETE")


def _counted(fault: dict[str, Any], count: int | None, until_removed: bool) -> dict[str, Any]:
    if until_removed:
        return {**fault, "count": None}
    return fault if count is None else {**fault, "count": count}
