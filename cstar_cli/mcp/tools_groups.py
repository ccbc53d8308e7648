"""The MCP tools of the third wave's reads: customer groups (D41), the audit log (D42) and
search across the desk (D47). All read-only (``--read-only`` keeps them)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cstar_cli.mcp.toolkit import ItemResult, ListResult, Page, PageSize, Since, ToolBase
from cstar_cli.wire.enums import AuditSource

GroupId = Annotated[str, Field(min_length=1, description="Customer group id (cgr_…).")]


class GroupTools(ToolBase):
    """Customer groups, the audit log and search."""

    async def list_customer_groups(
        self,
        search: Annotated[str | None, Field(description="Text in the group's name.")] = None,
        page: Page = 1,
        pageSize: PageSize = 25,
    ) -> ListResult:
        """List customer groups (companies or accounts that hold customers), newest first,
        each with its slug, externalId, customFields and customerCount. A group's customers:
        list_customers is not filtered by group here; get_customer shows a customer's
        groupIds."""
        params = {"search": search, "page": page, "pageSize": pageSize}
        return await self._list("customer-groups", params=params)

    async def get_customer_group(self, groupId: GroupId) -> ItemResult:
        """Get one customer group (cgr_…) with its customerCount."""
        return await self._item("GET", "customer-groups", groupId)

    async def list_audit_log(
        self,
        action: Annotated[
            str | None, Field(description="e.g. ticket.updated, key.revoked, webhook.created.")
        ] = None,
        resourceId: Annotated[str | None, Field(description="e.g. tkt_… (one resource).")] = None,
        source: Annotated[
            AuditSource | None, Field(description="Where the write came from.")
        ] = None,
        since: Since = None,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """The team's audit log, newest first: every write (action, resource, who — a key's
        name, a verified customer's email or system — and from where: api, cli, inspector,
        mcp), with the changed fields. Needs a secret key; never shows secrets."""
        params = {
            "action": action,
            "resourceId": resourceId,
            "source": source,
            **await self._window(since),
            "pageSize": pageSize,
        }
        return await self._list("audit-log", params=params)

    async def search(
        self,
        q: Annotated[str, Field(min_length=1, max_length=200, description="Text to find.")],
        types: Annotated[
            str | None,
            Field(description="Comma list of tickets, customers, articles (default all)."),
        ] = None,
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """Search tickets (title), customers (name, email) and articles (title, content) at
        once: each hit is {object, id, title or name, snippet}."""
        params = {"q": q, "types": types, "page": page, "pageSize": pageSize}
        return await self._list("search", params=params)
