"""``/tickets/{id}/messages`` (facts §3.3): list a ticket's messages, add one (a customer
portal adds as the customer)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PORTAL
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.messages.service import Messages
from cstar_cli.platform.resources.tickets.models import MessageCreate

router = APIRouter(tags=["tickets"])


@router.get(
    "/tickets/{ticketId}/messages", summary="List a ticket's messages", openapi_extra=PORTAL
)
async def list_messages(request: Request, ticketId: str) -> Response:
    messages = Messages(common.caller_of(request)).list_messages(ticketId)
    return responses.plain_list(request, messages)


@router.post(
    "/tickets/{ticketId}/messages",
    status_code=201,
    summary="Add a message",
    openapi_extra=PORTAL,
)
async def create_message(request: Request, ticketId: str, body: MessageCreate) -> Response:
    message = Messages(common.caller_of(request)).add(ticketId, body)
    return responses.ok(request, message, status=201)
