"""``/test-helpers/*`` (test mode only): the test clock (D21) — show, advance, reset —, the
reset of the whole test environment (D33), its data as a data file, out and in (D34), and faults
on purpose (D38). Each route parses, calls its helper's service and answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from cstar_cli.platform.game.models import ClockAdvance
from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.table import Calls
from cstar_cli.platform.testhelpers.clock import Clock
from cstar_cli.platform.testhelpers.datafile import DataFiles
from cstar_cli.platform.testhelpers.faultmodels import FaultCreate
from cstar_cli.platform.testhelpers.faults import Faults
from cstar_cli.platform.testhelpers.reset import Reset
from cstar_cli.wire.datafile import FORMAT, RESOURCES, VERSION, render

router = APIRouter(tags=["test-helpers"])
clock = Calls(router, Clock)
faults = Calls(router, Faults)
FAULTS = "/test-helpers/faults"
FAULT = "/test-helpers/faults/{faultId}"
DATA_FILE_IN = {
    "type": "object",
    "required": [FORMAT],
    "properties": {
        FORMAT: {"const": VERSION},
        **{name: {"type": "array", "items": {"type": "object"}} for name in RESOURCES},
    },
    "additionalProperties": False,
}
"""The import's body as the document shows it (the objects' fields: the export's, D34)."""


# -- the test clock ------------------------------------------------------------------------------
clock.get("/test-helpers/clock", "get_clock", Clock.show, "Show the test clock")


@router.post("/test-helpers/clock/advance", summary="Move the test clock forward")
async def advance_clock(request: Request, body: ClockAdvance) -> Response:
    return responses.ok(request, await Clock(common.caller_of(request)).advance(body.seconds))


clock.post("/test-helpers/clock/reset", "reset_clock", Clock.reset, "Set the test clock back to 0")


# -- the whole test environment ------------------------------------------------------------------
@router.post(
    "/test-helpers/reset",
    summary="Clear the test environment",
    description="Deletes all of the test environment's data; keeps the team, the seed members "
    "and the four seed keys (restored to active), and sets the test clock back to 0 (D33).",
)
async def reset(request: Request) -> Response:
    return responses.ok(request, Reset(common.caller_of(request)).run())


# -- data files ----------------------------------------------------------------------------------
@router.get(
    "/test-helpers/export",
    summary="Export the test environment as a data file",
    description="The test environment's data as a cStar data file (D34): the bare document, "
    "not inside the envelope, in a stable order, without secrets (no keys, no webhook signing "
    "secrets) and without member ids (members are named by email).",
)
async def export(request: Request) -> Response:
    document = DataFiles(common.caller_of(request)).export()
    return Response(render(document).encode(), media_type="application/json")


@router.post(
    "/test-helpers/import",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": DATA_FILE_IN}}}},
    summary="Replace the test environment's data with a data file",
    description="A reset (as POST /test-helpers/reset), then the data file's objects, in one "
    "transaction: a bad file is a 400 naming the JSON path in `param`, and nothing changes. "
    "Ids are optional; references may name customers and members by email, categories by "
    "slug. No events are fired. Webhooks get new signing secrets.",
)
async def import_data(
    request: Request,
    document: dict[str, Any] = Body(
        ..., description='A cStar data file: {"cstarData": 1, "customers": [...], ...}.'
    ),
) -> Response:
    return responses.ok(request, DataFiles(common.caller_of(request)).import_data(document))


# -- faults on purpose (D38) ---------------------------------------------------------------------
@router.post(
    FAULTS,
    status_code=201,
    summary="Add a fault: fail or delay API requests, or shape webhook deliveries",
    description="`on: api` makes matching requests (method, a glob on the team-relative path) "
    "answer 429/5xx in the error shape, or arrive late, without touching data; `on: deliveries` "
    "makes first webhook delivery attempts arrive twice, shuffled, late, or signed with a wrong "
    "or the previous secret. `count` matches (default 1; null: until removed). D38.",
)
async def add_fault(request: Request, body: FaultCreate) -> Response:
    return responses.ok(request, Faults(common.caller_of(request)).add(body), status=201)


faults.get(FAULTS, "list_faults", Faults.list, "List the faults", answer=responses.plain_list)
faults.get(FAULT, "get_fault", Faults.get, "Show a fault")
faults.delete(FAULT, "remove_fault", Faults.remove, "Remove a fault")
faults.delete(FAULTS, "clear_faults", Faults.clear, "Remove every fault")
