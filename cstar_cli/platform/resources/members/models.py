"""Models of Team members (facts §3.7): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Email, Input, Output, ShortText
from cstar_cli.wire.enums import Role


class Member(Output):
    id: str
    object: Literal["member"]
    userId: str
    name: str
    email: str
    avatarUrl: str | None
    role: Role
    roleDisplayName: str
    permissions: list[str]
    level: int
    xp: int
    joinedAt: str


class MemberCreate(Input):
    name: ShortText
    email: Email
    role: Role = "agent"
    avatarUrl: Annotated[str, Field(max_length=2000)] | None = None


class MemberUpdate(Input):
    name: ShortText | None = None
    email: Email | None = None
    role: Role | None = None
    avatarUrl: Annotated[str, Field(max_length=2000)] | None = None
