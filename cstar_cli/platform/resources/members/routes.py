"""Team members (facts §3.7, D22): CRUD on the local platform."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.members.models import MemberCreate, MemberUpdate
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.enums import Role

router = APIRouter(tags=["members"])

SORT_FIELDS = common.sortable("joined_at", "name", "xp", "level")
ROLE_TITLES = {
    "owner": "The Guild Master",
    "admin": "The Architect",
    "manager": "The Strategist",
    "librarian": "The Sage",
    "agent": "The Hero",
    "spectator": "The Watcher",
}
ROLE_PERMISSIONS = {
    "owner": [
        "tickets:write",
        "customers:write",
        "articles:write",
        "team:manage",
        "billing:manage",
    ],
    "admin": ["tickets:write", "customers:write", "articles:write", "team:manage"],
    "manager": ["tickets:write", "customers:write", "articles:write", "reports:read"],
    "librarian": ["articles:write", "tickets:read"],
    "agent": ["tickets:write", "customers:write"],
    "spectator": ["tickets:read"],
}


def serialize(row: Row) -> dict[str, Any]:
    return {
        "id": ids.MEMBER + row["id"],
        "object": "member",
        "userId": ids.USER + row["user_id"],
        **common.columns(row, "name", "email", "avatar_url", "role"),
        "roleDisplayName": ROLE_TITLES[row["role"]],
        "permissions": json.loads(row["permissions"]),
        **common.columns(row, "level", "xp", "joined_at"),
    }


def new_member(
    team_id: str, livemode: bool, name: str, email: str, role: str, stamp: str, avatar: str | None
) -> Row:
    return {
        "id": ids.new_hex(),
        "team_id": team_id,
        "livemode": int(livemode),
        "user_id": ids.new_hex(),
        "name": name,
        "email": email,
        "avatar_url": avatar,
        "role": role,
        "permissions": dumps(ROLE_PERMISSIONS[role]),
        "xp": 0,
        "level": 1,
        "joined_at": stamp,
        "updated_at": stamp,
    }


def _load(platform: Platform, principal: Principal, member_id: str) -> Row:
    return common.load_scoped(platform, principal, "members", ids.MEMBER, "memberId", member_id)


@router.get("/members", summary="List team members")
async def list_members(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    role: Role | None = Query(None),
) -> Response:
    where = common.Where(common.principal_of(request))
    where.equals("role", role)
    return common.list_response(
        request, "members", where, paging, SORT_FIELDS, serialize, default_sort="joinedAt"
    )


@router.post("/members", status_code=201, summary="Add a team member")
async def create_member(request: Request, body: MemberCreate) -> Response:
    platform, principal = common.caller(request)
    row = new_member(
        principal.team_id,
        principal.livemode,
        body.name,
        body.email,
        body.role,
        platform.now_iso(principal),
        body.avatarUrl,
    )
    with platform.db.transaction():
        platform.db.insert("members", row)
    return responses.ok(request, serialize(row), status=201)


@router.get("/members/{memberId}", summary="Get a team member")
async def get_member(request: Request, memberId: str) -> Response:
    return responses.ok(request, serialize(_load(*common.caller(request), memberId)))


FIELDS: FieldMap = {
    "name": Column(),
    "email": Column(),
    "role": Column(also=lambda role: {"permissions": dumps(ROLE_PERMISSIONS[role])}),
    "avatarUrl": Column(nullable=True),
}


@router.patch("/members/{memberId}", summary="Update a team member")
async def update_member(request: Request, memberId: str, body: MemberUpdate) -> Response:
    patch = common.Patch(request, _load, memberId)
    return patch.save("members", patch.values(body, FIELDS), serialize)


@router.delete("/members/{memberId}", summary="Remove a team member")
async def delete_member(request: Request, memberId: str) -> Response:
    row = _load(*common.caller(request), memberId)
    unassign = "UPDATE tickets SET assigned_to = NULL WHERE assigned_to = ?"
    return common.delete_row(request, "members", row, ids.MEMBER, unlink=[unassign])
