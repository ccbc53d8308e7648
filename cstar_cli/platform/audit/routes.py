"""``GET /audit-log`` (D42, facts §3.12): secret keys only; read-only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.audit.service import AuditLog
from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.wire.enums import AuditActor, AuditSource

router = APIRouter(tags=["audit-log"])
ISO = "ISO-8601 time"


@router.get("/audit-log", summary="List the audit log, newest first")
async def list_audit_log(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    action: str | None = Query(None, max_length=200, description="e.g. ticket.updated"),
    resourceType: str | None = Query(None, max_length=100, description="e.g. ticket"),
    resourceId: str | None = Query(None, max_length=100, description="e.g. tkt_…"),
    actorId: str | None = Query(None, max_length=100, description="A key (key_…) or cus_…"),
    actorType: AuditActor | None = Query(None),
    source: AuditSource | None = Query(None),
    since: str | None = Query(None, max_length=64, description=f"{ISO}: at or after."),
    until: str | None = Query(None, max_length=64, description=f"{ISO}: before."),
    startDate: str | None = Query(None, max_length=64, description=f"{ISO}; as since."),
    endDate: str | None = Query(None, max_length=64, description=f"{ISO}; as until."),
) -> Response:
    filters = {
        "action": action,
        "resourceType": resourceType,
        "resourceId": resourceId,
        "actorId": actorId,
        "actorType": actorType,
        "source": source,
        "since": since or startDate,
        "until": until or endDate,
    }
    return responses.paged(request, AuditLog(common.caller_of(request)).list(paging, filters))
