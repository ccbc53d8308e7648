"""Models of API keys (D9): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output, ShortText
from cstar_cli.wire.enums import Environment, KeyType


class ApiKey(Output):
    id: str
    object: Literal["api_key"]
    name: str
    type: KeyType
    environment: Environment
    redacted: str
    last4: str
    createdAt: str
    lastUsedAt: str | None
    expiresAt: str | None
    revokedAt: str | None
    secret: str | None = None


class ApiKeyCreate(Input):
    name: ShortText
    type: KeyType = "secret"
    environment: Environment | None = None


class ApiKeyRoll(Input):
    expiresIn: Annotated[int, Field(ge=0, le=7 * 24 * 3600)] = 0
