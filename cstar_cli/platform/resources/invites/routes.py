"""``/invites`` (D47): invite people to the team — create, list, get, revoke. Secret keys only."""

from __future__ import annotations

from fastapi import APIRouter

from cstar_cli.platform.resources.invites.models import InviteCreate
from cstar_cli.platform.resources.invites.service import Invites
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.wire.enums import InviteStatus

router = APIRouter(tags=["invites"])
items = ItemRoutes(router, Invites, "/invites", "inviteId")

items.list("list_invites", "List invites", filters={"status": InviteStatus})
items.create("create_invite", InviteCreate, "Invite someone to the team")
items.get("get_invite", "Get an invite")
items.delete("revoke_invite", "Revoke an invite", revoke=True)
