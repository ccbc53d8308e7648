"""``/customers`` (facts §3.4): list, create, get, update, delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.customers.models import CustomerCreate, CustomerUpdate
from cstar_cli.platform.resources.customers.service import Customers
from cstar_cli.wire.enums import CustomerStatus, Sentiment

router = APIRouter(tags=["customers"])


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


@router.post("/customers", status_code=201, summary="Create a customer")
async def create_customer(request: Request, body: CustomerCreate) -> Response:
    customer = Customers(common.caller_of(request)).create(body)
    return responses.ok(request, customer, status=201)


@router.get("/customers/{customerId}", summary="Get a customer")
async def get_customer(request: Request, customerId: str) -> Response:
    return responses.ok(request, Customers(common.caller_of(request)).get(customerId))


@router.patch("/customers/{customerId}", summary="Update a customer")
async def update_customer(request: Request, customerId: str, body: CustomerUpdate) -> Response:
    return responses.ok(request, Customers(common.caller_of(request)).update(customerId, body))


@router.delete("/customers/{customerId}", summary="Delete a customer")
async def delete_customer(request: Request, customerId: str) -> Response:
    return responses.ok(request, Customers(common.caller_of(request)).delete(customerId))
