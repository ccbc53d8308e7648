"""Models of invites (D47): requests in, answers out."""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.models import Email, Input, Output
from cstar_cli.wire.enums import InviteStatus, Role


class Invite(Output):
    id: str
    object: Literal["invite"]
    email: str
    role: Role
    status: InviteStatus
    """pending until revoked or past ``expiresAt`` (accepting is out of scope)."""
    expiresAt: str
    revokedAt: str | None
    createdAt: str
    updatedAt: str


class InviteCreate(Input):
    email: Email
    role: Role = "agent"
