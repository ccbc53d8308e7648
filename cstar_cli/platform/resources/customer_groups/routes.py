"""``/customer-groups`` (D41, facts §3.11): CRUD, and membership through
``/customer-groups/{groupId}/customers``. Secret keys only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.customer_groups.models import (
    CustomerGroupCreate,
    CustomerGroupUpdate,
    GroupMembers,
)
from cstar_cli.platform.resources.customer_groups.service import CustomerGroups
from cstar_cli.platform.resources.table import ItemRoutes

router = APIRouter(tags=["customer-groups"])
items = ItemRoutes(router, CustomerGroups, "/customer-groups", "groupId")
DEFAULT_PAGE_SIZE = 25  # facts §2: customer groups page by 25


def group_page_params(
    page: int = common.PAGE,
    pageSize: int = Query(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=common.MAX_PAGE_SIZE,
        description=f"Items per page, 1 to {common.MAX_PAGE_SIZE} (default 25).",
    ),
    sort: str | None = Query(
        None, description="Field to sort by; prefix with '-' for descending. Default -createdAt."
    ),
) -> common.Paging:
    """``page``, ``pageSize`` (25 by default here) and ``sort``."""
    return common.Paging(page, pageSize, sort)


@router.get("/customer-groups", summary="List customer groups")
async def list_customer_groups(
    request: Request,
    paging: common.Paging = Depends(group_page_params),
    search: str | None = common.search_query("Text in the name."),
) -> Response:
    page = CustomerGroups(common.caller_of(request)).list(paging, search=search)
    return responses.paged(request, page)


items.create("create_customer_group", CustomerGroupCreate, "Create a customer group")
items.get("get_customer_group", "Get a customer group")
items.update("update_customer_group", CustomerGroupUpdate, "Update a customer group")
items.delete("delete_customer_group", "Delete a customer group")


@router.post("/customer-groups/{groupId}/customers", summary="Add customers to a group")
async def add_group_customers(request: Request, groupId: str, body: GroupMembers) -> Response:
    group = CustomerGroups(common.caller_of(request)).add_customers(groupId, body)
    return responses.ok(request, group)


@router.delete(
    "/customer-groups/{groupId}/customers/{customerId}", summary="Remove a customer from a group"
)
async def remove_group_customer(request: Request, groupId: str, customerId: str) -> Response:
    group = CustomerGroups(common.caller_of(request)).remove_customer(groupId, customerId)
    return responses.ok(request, group)
