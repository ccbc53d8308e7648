"""Request and response models of webhooks and their deliveries (events and listen sessions
have theirs beside them; request logs in :mod:`cstar_cli.platform.logs.models`).

As in :mod:`cstar_cli.platform.resources.models`: inputs forbid unknown fields, outputs document
exactly what the serializers produce.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output, ShortText

EventPattern = Annotated[str, Field(min_length=1, max_length=100)]
Url = Annotated[str, Field(min_length=1, max_length=2000, json_schema_extra={"format": "uri"})]


class Webhook(Output):
    id: str
    object: Literal["webhook"]
    name: str | None
    description: str | None
    url: str
    events: list[str]
    isActive: bool
    legacySignature: bool
    createdAt: str
    updatedAt: str
    secret: str | None = None
    signingSecret: str | None = None


class WebhookCreate(Input):
    url: Url
    events: Annotated[list[EventPattern], Field(min_length=1, max_length=50)]
    name: ShortText | None = None
    description: Annotated[str, Field(max_length=1000)] | None = None
    isActive: bool = True
    legacySignature: bool = True


class WebhookUpdate(Input):
    url: Url | None = None
    events: Annotated[list[EventPattern], Field(min_length=1, max_length=50)] | None = None
    name: ShortText | None = None
    description: Annotated[str, Field(max_length=1000)] | None = None
    isActive: bool | None = None
    legacySignature: bool | None = None


class WebhookTest(Input):
    event: EventPattern = "ticket.created"


class WebhookTestResult(Output):
    deliveryId: str
    event: str
    url: str
    success: bool
    status: int | None
    responseTimeMs: float
    error: str | None


class TriggerTest(Input):
    event: EventPattern
    data: dict[str, Any] | None = None
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    source: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        default=None,
        alias="for",
        description="An existing object's id (tkt_…, msg_…, cus_…, art_…): the event carries "
        "what a real one carries for it today (D39), with `data` merged over it.",
    )


class TriggerResult(Output):
    event: str
    eventId: str
    eventIds: list[str]
    deliveredTo: int
    webhooks: int
    sessions: int


class Delivery(Output):
    id: str
    object: Literal["delivery"]
    eventId: str
    eventType: str | None
    webhookId: str | None
    sessionId: str | None
    url: str
    attempt: int
    status: Literal["pending", "succeeded", "failed", "cancelled"]
    responseStatus: int | None
    durationMs: float | None
    responseBody: str | None
    error: str | None
    scheduledAt: str = Field(
        description="When the attempt is (or was) due to run: a pending retry's scheduled time."
    )
    startedAt: str | None = Field(
        description="When the attempt started; null while pending, for a cancelled one, and for "
        "one `cstar listen` made (it reports only when the answer came: finishedAt)."
    )
    createdAt: str = Field(
        description="When the attempt was queued (a retry is queued as the one before it fails)."
    )
    finishedAt: str | None = Field(
        description="When the attempt's answer (or failure) was recorded; null while pending."
    )
    fault: str | None = Field(
        default=None,
        description="The fault (D38, flt_…) that shaped this attempt on purpose: duplicated, "
        "reordered, delayed or signed with another secret.",
    )
