"""``/tickets`` (facts §3.2): list, create, get, update, delete; their messages are in
:mod:`cstar_cli.platform.resources.messages.routes`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PORTAL
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.platform.resources.tickets.models import TicketCreate, TicketUpdate
from cstar_cli.platform.resources.tickets.service import Tickets
from cstar_cli.wire.enums import Priority, TicketStatus

router = APIRouter(tags=["tickets"])
items = ItemRoutes(router, Tickets, "/tickets", "ticketId")
EXPAND = Query(None, description="Comma list; 'customer' inlines the customer.")


@router.get("/tickets", summary="List tickets", openapi_extra=PORTAL)
async def list_tickets(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    status: TicketStatus | None = Query(None),
    priority: Priority | None = Query(None),
    assignedTo: str | None = Query(None, description="Member id (mem_...)."),
    customerId: str | None = Query(None, description="Customer id (cus_...) or UUID."),
    search: str | None = common.search_query("Text in the title, customer name or messages."),
    tag: str | None = Query(None),
    createdAfter: str | None = Query(None, description="ISO-8601 lower bound on createdAt."),
    createdBefore: str | None = Query(None, description="ISO-8601 upper bound on createdAt."),
    expand: str | None = EXPAND,
) -> Response:
    page = Tickets(common.caller_of(request)).list(
        paging,
        status=status,
        priority=priority,
        assigned_to=assignedTo,
        customer_id=customerId,
        search=search,
        tag=tag,
        created_after=createdAfter,
        created_before=createdBefore,
        expand=expand,
    )
    return responses.paged(request, page)


items.create("create_ticket", TicketCreate, "Create a ticket", access=PORTAL)


@router.get("/tickets/{ticketId}", summary="Get a ticket with its messages", openapi_extra=PORTAL)
async def get_ticket(request: Request, ticketId: str, expand: str | None = EXPAND) -> Response:
    return responses.ok(request, Tickets(common.caller_of(request)).get(ticketId, expand=expand))


items.update("update_ticket", TicketUpdate, "Update a ticket")
items.delete("delete_ticket", "Delete a ticket")
