"""Webhook subscriptions (facts §3.6, D12): CRUD, test, rotate-secret, deliveries, trigger-test."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.platform.resources.webhooks.models import (
    TriggerTest,
    WebhookCreate,
    WebhookTest,
    WebhookUpdate,
)
from cstar_cli.platform.resources.webhooks.service import Webhooks

router = APIRouter(tags=["webhooks"])
items = ItemRoutes(router, Webhooks, "/webhooks", "webhookId")


items.list("list_webhooks", "List webhook endpoints", filters={"active": bool})
items.create("create_webhook", WebhookCreate, "Create a webhook endpoint (secret shown once)")


@router.post("/webhooks/trigger-test", summary="Fire a synthetic event to every subscriber")
async def trigger_test(request: Request, body: TriggerTest) -> Response:
    return responses.ok(request, Webhooks(common.caller_of(request)).trigger_test(body))


items.get("get_webhook", "Get a webhook endpoint")
items.update("update_webhook", WebhookUpdate, "Update a webhook endpoint")
items.delete("delete_webhook", "Delete a webhook endpoint")


@router.post("/webhooks/{webhookId}/test", summary="Send one sample event to this endpoint now")
async def send_test_event(
    request: Request, webhookId: str, body: WebhookTest | None = None
) -> Response:
    result = await Webhooks(common.caller_of(request)).send_test(webhookId, body)
    return responses.ok(request, result)


@router.post("/webhooks/{webhookId}/rotate-secret", summary="Replace the signing secret")
async def rotate_secret(request: Request, webhookId: str) -> Response:
    return responses.ok(request, Webhooks(common.caller_of(request)).rotate_secret(webhookId))


@router.get("/webhooks/{webhookId}/deliveries", summary="Delivery attempts to this endpoint")
async def list_deliveries(
    request: Request,
    webhookId: str,
    paging: common.Paging = Depends(common.page_params),
    status: str | None = Query(None, description="pending, succeeded, failed or cancelled."),
) -> Response:
    page = Webhooks(common.caller_of(request)).deliveries(webhookId, paging, status=status)
    return responses.paged(request, page)
