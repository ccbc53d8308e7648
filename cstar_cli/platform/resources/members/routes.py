"""``/members`` (facts §3.7, D22): list, add, get, update, remove."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.members.models import MemberCreate, MemberUpdate
from cstar_cli.platform.resources.members.service import Members
from cstar_cli.wire.enums import Role

router = APIRouter(tags=["members"])


@router.get("/members", summary="List team members")
async def list_members(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    role: Role | None = Query(None),
) -> Response:
    return responses.paged(request, Members(common.caller_of(request)).list(paging, role=role))


@router.post("/members", status_code=201, summary="Add a team member")
async def create_member(request: Request, body: MemberCreate) -> Response:
    member = Members(common.caller_of(request)).create(body)
    return responses.ok(request, member, status=201)


@router.get("/members/{memberId}", summary="Get a team member")
async def get_member(request: Request, memberId: str) -> Response:
    return responses.ok(request, Members(common.caller_of(request)).get(memberId))


@router.patch("/members/{memberId}", summary="Update a team member")
async def update_member(request: Request, memberId: str, body: MemberUpdate) -> Response:
    return responses.ok(request, Members(common.caller_of(request)).update(memberId, body))


@router.delete("/members/{memberId}", summary="Remove a team member")
async def delete_member(request: Request, memberId: str) -> Response:
    return responses.ok(request, Members(common.caller_of(request)).delete(memberId))
