"""Webhook subscriptions (facts §3.6, D12): CRUD, test, rotate-secret, deliveries, trigger-test."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.webhooks.models import (
    TriggerTest,
    WebhookCreate,
    WebhookTest,
    WebhookUpdate,
)
from cstar_cli.platform.resources.webhooks.service import Webhooks

router = APIRouter(tags=["webhooks"])


@router.get("/webhooks", summary="List webhook endpoints")
async def list_webhooks(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    active: str | None = Query(None, description="true or false."),
) -> Response:
    active_only = common.bool_query(active, "active")
    page = Webhooks(common.caller_of(request)).list(paging, active=active_only)
    return responses.paged(request, page)


@router.post("/webhooks", status_code=201, summary="Create a webhook endpoint (secret shown once)")
async def create_webhook(request: Request, body: WebhookCreate) -> Response:
    webhook = Webhooks(common.caller_of(request)).create(body)
    return responses.ok(request, webhook, status=201)


@router.post("/webhooks/trigger-test", summary="Fire a synthetic event to every subscriber")
async def trigger_test(request: Request, body: TriggerTest) -> Response:
    return responses.ok(request, Webhooks(common.caller_of(request)).trigger_test(body))


@router.get("/webhooks/{webhookId}", summary="Get a webhook endpoint")
async def get_webhook(request: Request, webhookId: str) -> Response:
    return responses.ok(request, Webhooks(common.caller_of(request)).get(webhookId))


@router.patch("/webhooks/{webhookId}", summary="Update a webhook endpoint")
async def update_webhook(request: Request, webhookId: str, body: WebhookUpdate) -> Response:
    return responses.ok(request, Webhooks(common.caller_of(request)).update(webhookId, body))


@router.delete("/webhooks/{webhookId}", summary="Delete a webhook endpoint")
async def delete_webhook(request: Request, webhookId: str) -> Response:
    return responses.ok(request, Webhooks(common.caller_of(request)).delete(webhookId))


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
