"""Models of events (D10, D11): an event as delivered, with its delivery attempts, and resend."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from cstar_cli.platform.resources.models import Input, Output
from cstar_cli.platform.resources.webhooks.models import Delivery


class Event(Output):
    """A webhook event exactly as delivered (D11: snake_case)."""

    model_config = ConfigDict(extra="allow")
    id: str
    type: str
    created_at: str
    team_id: str
    livemode: bool
    data: dict[str, Any]


class EventWithDeliveries(Event):
    deliveries: list[Delivery]


class EventResend(Input):
    webhookId: str | None = None
    sessionId: str | None = None


class ResendResult(Output):
    eventId: str
    resentTo: int
    deliveryIds: list[str]
