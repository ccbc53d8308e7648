"""``/customers`` (facts §3.4): list, create, get, update, delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.customers.models import CustomerCreate, CustomerUpdate
from cstar_cli.platform.resources.customers.service import Customers
from cstar_cli.platform.resources.table import ItemRoutes
from cstar_cli.wire.enums import CustomerStatus, Sentiment

router = APIRouter(tags=["customers"])
items = ItemRoutes(router, Customers, "/customers", "customerId")


@router.get("/customers", summary="List customers")
async def list_customers(
    request: Request,
    paging: common.Paging = Depends(common.page_params),
    status: CustomerStatus | None = Query(None),
    sentiment: Sentiment | None = Query(None),
    search: str | None = common.search_query("Text in the name or email."),
    tag: str | None = Query(None),
    groupId: str | None = Query(None, description="Only the customers of this group (cgr_...)."),
) -> Response:
    page = Customers(common.caller_of(request)).list(
        paging, status=status, sentiment=sentiment, search=search, tag=tag, group_id=groupId
    )
    return responses.paged(request, page)


items.create("create_customer", CustomerCreate, "Create a customer")
items.get("get_customer", "Get a customer")
items.update("update_customer", CustomerUpdate, "Update a customer")
items.delete("delete_customer", "Delete a customer")
