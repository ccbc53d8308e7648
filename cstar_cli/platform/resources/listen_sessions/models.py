"""Models of listen sessions (D14, D15, D31): requests in, answers out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output
from cstar_cli.platform.resources.webhooks.models import EventPattern


class ListenRouteCreate(Input):
    target: Annotated[str, Field(min_length=1, max_length=2048)]
    events: Annotated[list[EventPattern], Field(max_length=50)] | None = None


class ListenCreate(Input):
    events: Annotated[list[EventPattern], Field(max_length=50)] | None = None
    deviceName: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    routes: Annotated[list[ListenRouteCreate], Field(max_length=20)] | None = None


class ListenRoute(Output):
    id: str
    target: str
    events: list[str]
    active: bool
    pending: int


class ListenSession(Output):
    id: str
    object: Literal["listen_session"]
    deviceName: str
    events: list[str]
    signingSecret: str
    websocketUrl: str
    pending: int
    routes: list[ListenRoute]
    createdAt: str
    expiresAt: str


class ListenSessionSummary(Output):
    """A listen session as ``GET /webhooks/listen/sessions`` lists it (no signing secret)."""

    id: str
    object: Literal["listen_session"]
    deviceName: str
    events: list[str]
    websocketUrl: str
    pending: int
    routes: list[ListenRoute]
    connected: bool
    createdAt: str
    expiresAt: str
