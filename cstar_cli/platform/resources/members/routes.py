"""``/members`` (facts §3.7, D22): list, add, get, update, remove."""

from __future__ import annotations

from fastapi import APIRouter

from cstar_cli.platform.resources.members.models import MemberCreate, MemberUpdate
from cstar_cli.platform.resources.members.service import Members
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.wire.enums import Role

router = APIRouter(tags=["members"])
items = ItemRoutes(router, Members, "/members", "memberId")

items.list("list_members", "List team members", filters={"role": Role})
items.create("create_member", MemberCreate, "Add a team member")
items.get("get_member", "Get a team member")
items.update("update_member", MemberUpdate, "Update a team member")
items.delete("delete_member", "Remove a team member")
