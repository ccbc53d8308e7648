"""Models of events (D10, D11): an event as delivered, with its delivery attempts, and resend."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from cstar_cli.platform.resources.models import Input, Output
from cstar_cli.platform.resources.webhooks.models import Delivery
from cstar_cli.wire.enums import EventOrigin


class Event(Output):
    """A webhook event exactly as delivered (D11: snake_case)."""

    model_config = ConfigDict(extra="allow")
    id: str
    type: str
    created_at: str
    team_id: str
    livemode: bool
    data: dict[str, Any]
    origin: EventOrigin = Field(
        description="Where the event came from (D39): a real write (`action`), a trigger or "
        "test (`synthetic`) or a replay with edits (`replay`). Not part of the delivered payload."
    )
    replayOf: str | None = Field(
        description="For a replay: the id of the event it replays. Not part of the payload."
    )


class EventWithDeliveries(Event):
    deliveries: list[Delivery]


MAX_REPLAY_DATA = 64 * 1024
"""Bytes a replay's ``data`` may take, serialized (D39)."""


class EventResend(Input):
    webhookId: str | None = None
    sessionId: str | None = None
    data: dict[str, Any] | None = Field(
        default=None,
        description="A replay with edits (D39): a new event of the same type with this `data` "
        "(a JSON object, at most 64 KiB), sent to the chosen target or to the webhooks that "
        "received the original.",
    )


class ResendResult(Output):
    eventId: str = Field(description="The event sent: for a replay, the new event's id.")
    resentTo: int
    deliveryIds: list[str]
    replayOf: str | None = Field(default=None, description="For a replay: the original event's id.")
    targets: list[str] | None = Field(
        default=None, description="For a replay: the webhooks and listen sessions it was sent to."
    )
