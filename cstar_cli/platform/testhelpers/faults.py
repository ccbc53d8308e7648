"""``/test-helpers/faults`` (D38): add, list, show, remove and clear the faults of the caller's
test environment. The gateway (:mod:`cstar_cli.platform.faults.api`) and the dispatcher
(:mod:`cstar_cli.platform.faults.deliveries`) apply them; a reset (D33) clears them."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.faults.store import serialize
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.testhelpers.faultmodels import FaultCreate
from cstar_cli.platform.testhelpers.guard import Helper
from cstar_cli.wire import catalog


class Faults(Helper):
    """The faults of the caller's test environment (a live key is refused, 403)."""

    @property
    def scope(self) -> tuple[str, int]:
        return (self.test_team(), 0)

    def add(self, body: FaultCreate) -> dict[str, Any]:
        scope = self.scope
        spec = self._api_spec(body) if body.on == "api" else self._delivery_spec(body, scope)
        count = body.count
        if body.reorder and "count" not in body.model_fields_set:
            count = body.reorder  # one window
        now = self.platform.now(scope[0], False)
        return serialize(self.platform.faults.add(scope, body.on, spec, count, now))

    def list(self) -> list[dict[str, Any]]:
        return [serialize(row) for row in self.platform.faults.all(self.scope)]

    def get(self, fault_id: str) -> dict[str, Any]:
        row = self.platform.faults.get(self.scope, ids.parse(fault_id, ids.FAULT, "faultId"))
        if row is None:
            raise ApiError.not_found("fault", fault_id)
        return serialize(row)

    def remove(self, fault_id: str) -> dict[str, Any]:
        scope = self.scope
        if not self.platform.faults.remove(scope, ids.parse(fault_id, ids.FAULT, "faultId")):
            raise ApiError.not_found("fault", fault_id)
        return {"id": ids.FAULT + ids.parse(fault_id, ids.FAULT, "faultId"), "deleted": True}

    def clear(self) -> dict[str, Any]:
        return {"object": "faults_cleared", "deleted": self.platform.faults.remove(self.scope)}

    # -- what a fault does, checked ----------------------------------------------------------
    @staticmethod
    def _api_spec(body: FaultCreate) -> dict[str, Any]:
        _only_for(
            body, "api", "match.eventTypes", "match.webhookId", "duplicate", "reorder", "signWith"
        )
        if body.answer is None and not body.delayMs:
            raise ApiError.missing(
                "answer", "An API fault needs an answer ({status: 503}) or a delayMs, or both."
            )
        match = {"method": body.match.method, "path": body.match.path}
        answer = None if body.answer is None else body.answer.model_dump()
        return {"match": match, "answer": answer, "delayMs": body.delayMs}

    def _delivery_spec(self, body: FaultCreate, scope: tuple[str, int]) -> dict[str, Any]:
        _only_for(body, "deliveries", "match.method", "match.path", "answer")
        if not (body.duplicate or body.reorder or body.delayMs or body.signWith):
            raise ApiError.missing(
                "duplicate",
                "A delivery fault needs duplicate, reorder, delayMs or signWith.",
            )
        if body.reorder and body.delayMs:
            raise ApiError.invalid(
                "reorder and delayMs do not go together: a reorder window already holds "
                "deliveries back.",
                param="delayMs",
            )
        event_types = None
        if body.match.eventTypes is not None:
            try:
                event_types = catalog.validate_patterns(body.match.eventTypes)
            except ValueError as err:
                raise ApiError.invalid(str(err), param="match.eventTypes") from None
        webhook = None
        if body.match.webhookId is not None:
            hex_id = ids.parse(body.match.webhookId, ids.WEBHOOK, "match.webhookId")
            webhook = ids.WEBHOOK + hex_id
            rotated = self.platform.faults.webhooks_rotated(scope, hex_id)
            if rotated is None:
                raise ApiError(
                    404,
                    "resource_missing",
                    f"No webhook with id '{body.match.webhookId}'.",
                    param="match.webhookId",
                )
        else:
            rotated = self.platform.faults.webhooks_rotated(scope)
        if body.signWith == "old-secret" and not rotated:
            which = "This webhook's" if webhook else "No webhook's"
            raise ApiError.invalid(
                f"{which} signing secret was never rotated, so there is no previous secret to "
                "sign with. Rotate it first (cstar webhooks rotate-secret).",
                param="signWith",
            )
        return {
            "match": {"eventTypes": event_types, "webhookId": webhook},
            "duplicate": bool(body.duplicate),
            "reorder": body.reorder,
            "delayMs": body.delayMs,
            "signWith": body.signWith,
        }


def _only_for(body: FaultCreate, on: str, *others: str) -> None:
    """A field of the other kind of fault is a 400 naming it."""
    for name in others:
        owner: Any = body
        *path, field = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        if getattr(owner, field) not in (None, False):
            kind = "api" if on == "deliveries" else "deliveries"
            raise ApiError.invalid(f"'{name}' is for faults on {kind}, not on {on}.", param=name)
