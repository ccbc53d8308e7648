"""API faults (D38), as the gateway applies them: a test-mode request that matches a fault is
held back ``delayMs`` and then handled as usual, or answered with the fault's status in the
documented error shape — before idempotency, so the answer is never kept for replay (D49) and
nothing is written. ``/test-helpers`` routes never match."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.faults.store import FaultStore
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.callers import TEAM_PATH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.wire.faults import DEFAULT_RETRY_AFTER, FAULT_CODES, TEST_HELPERS_PREFIX


def team_relative(path: str) -> str:
    """``/tickets`` for ``/api/v1/teams/{teamId}/tickets``; another path as it is."""
    match = TEAM_PATH.match(path)
    if match is None:
        return path
    return "/" + path[match.end() :].lstrip("/") if match.end() < len(path) else "/"


def fault_error(fault_id: str, spec: dict[str, Any]) -> ApiError | None:
    """The error a fault answers with (``None``: it only delays)."""
    answer = spec.get("answer")
    if not answer:
        return None
    status = int(answer["status"])
    code = FAULT_CODES[status]
    extra: dict[str, Any] = {"fault": fault_id}
    headers: dict[str, str] = {}
    if status == 429:
        wait = int(answer.get("retryAfter") or DEFAULT_RETRY_AFTER)
        message = f"Rate limit exceeded. Try again in {wait} seconds."
        extra["retryAfter"] = wait
        headers["Retry-After"] = str(wait)
    else:
        message = f"The platform answered {status} on purpose: fault {fault_id} (D38)."
    return ApiError(status, code, message, extra=extra, headers=headers)


async def apply_api_fault(
    faults: FaultStore, principal: Principal, scope: MutableMapping[str, Any]
) -> ApiError | None:
    """Count the request against the first matching fault, mark it (``state["fault"]``, for the
    request log), wait out its delay, and return the error to answer with (``None``: go on)."""
    if principal.livemode:
        return None
    path = team_relative(scope["path"])
    if path == TEST_HELPERS_PREFIX or path.startswith(TEST_HELPERS_PREFIX + "/"):
        return None
    row = faults.take_api((principal.team_id, 0), scope["method"], path)
    if row is None:
        return None
    fault_id = ids.FAULT + row["id"]
    scope["state"]["fault"] = fault_id
    delay = row["spec"].get("delayMs")
    if delay:
        await asyncio.sleep(delay / 1000)
    return fault_error(fault_id, row["spec"])
