"""The MCP read tools of customer groups, the audit log and search (D41, D42, D47): there in
read-only mode, answering from a platform of their own."""

from __future__ import annotations

import httpx

from tests.mcp.conftest import McpRunner, Session
from tests.support.platforms import RunningPlatform, platform_of_its_own


def test_group_audit_and_search_tools_work_read_only() -> None:
    with platform_of_its_own() as server:
        team = f"{server.api_base}/api/v1/teams/{server.keys.team_id}"
        headers = {"Authorization": f"Bearer {server.keys.secret_key}"}
        made = httpx.post(f"{team}/customer-groups", json={"name": "Acme"}, headers=headers)
        assert made.status_code == 201
        group_id = made.json()["data"]["id"]

        async def scenario(session: Session) -> None:
            names = await session.tool_names()
            assert {"list_customer_groups", "get_customer_group", "list_audit_log"} <= set(names)
            assert "search" in names and "create_ticket" not in names
            listed = await session.ok("list_customer_groups", search="acm")
            assert [g["id"] for g in listed["data"]] == [group_id]
            one = await session.ok("get_customer_group", groupId=group_id)
            assert one["data"]["name"] == "Acme"
            log = await session.ok("list_audit_log", action="customer_group.created")
            assert [e["resourceId"] for e in log["data"]] == [group_id]
            found = await session.ok("search", q="nothing-like-this")
            assert found["data"] == []

        McpRunner(RunningPlatform.serving(server)).run(scenario, read_only=True)
