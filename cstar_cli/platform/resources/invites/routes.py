"""``/invites`` (D47): invite people to the team — create, list, get, revoke. Secret keys only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.invites.models import InviteCreate
from cstar_cli.platform.resources.invites.service import Invites
from cstar_cli.wire.enums import InviteStatus

router = APIRouter(tags=["invites"])


@router.get("/invites", summary="List invites")
async def list_invites(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    status: InviteStatus | None = Query(None),
) -> Response:
    return responses.paged(request, Invites(common.caller_of(request)).list(paging, status=status))


@router.post("/invites", status_code=201, summary="Invite someone to the team")
async def create_invite(request: Request, body: InviteCreate) -> Response:
    return responses.ok(request, Invites(common.caller_of(request)).create(body), status=201)


@router.get("/invites/{inviteId}", summary="Get an invite")
async def get_invite(request: Request, inviteId: str) -> Response:
    return responses.ok(request, Invites(common.caller_of(request)).get(inviteId))


@router.delete("/invites/{inviteId}", summary="Revoke an invite")
async def revoke_invite(request: Request, inviteId: str) -> Response:
    return responses.ok(request, Invites(common.caller_of(request)).revoke(inviteId))
