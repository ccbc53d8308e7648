"""The MCP tools, in-process through the SDK's client, against the real local platform."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cstar_cli import __version__
from cstar_cli.mcp.tools import TOOL_NAMES, WRITE_TOOLS, ToolSelectionError, select_tools
from cstar_cli.wire.catalog import EVENT_TYPES
from tests.mcp.conftest import McpRunner, Session

READ_TOOLS = [name for name in TOOL_NAMES if name not in WRITE_TOOLS]


def unique_email() -> str:
    return f"mcp-{uuid.uuid4().hex[:10]}@example.com"


# -- what is exposed -------------------------------------------------------------------------


def test_tools_are_listed_with_descriptions_enums_and_output_schemas(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        listed = {tool.name: tool for tool in (await s.client.list_tools()).tools}
        assert sorted(listed) == sorted(TOOL_NAMES)
        for name, tool in listed.items():
            assert tool.description and len(tool.description) > 40, name
            assert tool.output_schema is not None, name
            assert tool.annotations is not None
            assert tool.annotations.read_only_hint is (name not in WRITE_TOOLS), name
        props = listed["list_tickets"].input_schema["properties"]
        assert props["priority"]["anyOf"][0]["enum"] == ["low", "normal", "high", "urgent"]
        assert props["pageSize"]["default"] == 20 and props["pageSize"]["maximum"] == 100
        assert "this_week" in (listed["list_tickets"].description or "")  # "this week" explained
        event = listed["trigger_event"].input_schema["properties"]["event"]
        assert event["enum"] == list(EVENT_TYPES) and len(event["enum"]) == 35
        assert listed["create_ticket"].input_schema["required"] == ["title"]

    mcp_run.run(scenario)


def test_read_only_mode_registers_no_write_tool(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        names = await s.tool_names()
        assert sorted(names) == sorted(READ_TOOLS)
        assert not set(names) & WRITE_TOOLS
        assert {"create_ticket", "trigger_event", "update_customer"} <= WRITE_TOOLS
        result = await s.call("create_ticket", title="Should not exist")
        assert result.is_error and "Unknown tool" in result.content[0].text  # type: ignore[union-attr]
        who = await s.ok("whoami")
        assert who["data"]["readOnly"] is True and who["data"]["writesAllowed"] is False

    mcp_run.run(scenario, read_only=True)


def test_allow_list_exposes_only_the_named_tools(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        assert sorted(await s.tool_names()) == ["list_tickets", "whoami"]

    mcp_run.run(scenario, tools=("whoami", "list_tickets"))


def test_allow_list_rejects_unknown_names_and_read_only_conflicts() -> None:
    with pytest.raises(ToolSelectionError) as caught:
        select_tools(("list_tickets", "delete_everything"), read_only=False)
    assert "delete_everything" in caught.value.message
    assert caught.value.hint and "list_tickets" in caught.value.hint
    with pytest.raises(ToolSelectionError, match="create_ticket"):
        select_tools(("create_ticket",), read_only=True)


# -- safety and errors -------------------------------------------------------------------------


def test_live_key_refuses_writes_but_reads_work(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        error = await s.error("create_customer", name="Live Lou", email=unique_email())
        assert error["code"] == "live_writes_disabled"
        assert "--allow-live-writes" in error["hint"]
        assert not [r for r in s.transport.requests if r.method != "GET"]  # nothing was sent
        listed = await s.ok("list_tickets")
        assert isinstance(listed["data"], list)
        who = await s.ok("whoami")
        assert who["data"]["environment"] == "live" and who["data"]["writesAllowed"] is False

    mcp_run.run(scenario, api_key=mcp_run.platform.live_secret_key)


def test_live_writes_work_when_allowed(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        created = await s.ok("create_customer", name="Live Lou", email=unique_email())
        assert created["data"]["id"].startswith("cus_")

    mcp_run.run(scenario, api_key=mcp_run.platform.live_secret_key, allow_live_writes=True)


def test_api_errors_become_tool_errors_with_the_request_id(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        error = await s.error("get_ticket", ticketId="tkt_" + "0" * 32)
        assert error["code"] == "resource_missing" and error["status"] == 404
        assert error["requestId"].startswith("req_")
        assert "tkt_000" in error["message"]
        email = unique_email()
        await s.ok("create_customer", name="Dup", email=email)
        conflict = await s.error("create_customer", name="Dup", email=email)
        assert conflict["status"] == 409 and conflict["requestId"].startswith("req_")
        # the server keeps serving after errors
        assert (await s.ok("whoami"))["data"]["teamId"] == mcp_run.platform.team_id

    mcp_run.run(scenario)


def test_bad_inputs_are_tool_errors_not_crashes(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        bad_enum = await s.call("list_tickets", priority="extreme")
        assert bad_enum.is_error and "urgent" in bad_enum.content[0].text  # type: ignore[union-attr]
        window = await s.error("list_tickets", createdWithin="soon")
        assert window["code"] == "invalid_argument" and "7d" in window["message"]
        both = await s.error("list_tickets", createdAfter="today", createdWithin="7d")
        assert "not both" in both["message"]
        nothing = await s.error("update_ticket", ticketId="tkt_" + "0" * 32)
        assert "Nothing to update" in nothing["message"]

    mcp_run.run(scenario)


def test_requests_identify_as_cstar_mcp(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        await s.ok("whoami")
        await s.ok("list_customers")
        agents = {r.headers["user-agent"] for r in s.transport.requests}
        assert agents == {f"cstar-mcp/{__version__}"}

    mcp_run.run(scenario)


# -- every tool, against the platform ---------------------------------------------------------


def test_every_tool_against_the_platform(mcp_run: McpRunner, api: httpx.Client) -> None:
    long_text = "Reset the router, then hold the power button. " * 30
    article = api.post(
        "/articles",
        json={"title": "Router reset guide", "content": long_text, "status": "published"},
    )
    assert article.status_code == 201, article.text
    article_id = article.json()["data"]["id"]
    called: set[str] = set()

    async def scenario(s: Session) -> None:
        async def ok(tool: str, /, **arguments: Any) -> dict[str, Any]:
            called.add(tool)
            return await s.ok(tool, **arguments)

        who = await ok("whoami")
        assert who["data"]["teamId"] == mcp_run.platform.team_id
        assert who["data"]["environment"] == "test" and who["data"]["writesAllowed"] is True
        assert who["data"]["weekStart"] <= who["data"]["now"]

        email = unique_email()
        customer = (await ok("create_customer", name="Grace Hopper", email=email, tags=["vip"]))[
            "data"
        ]
        found = await ok("list_customers", search=email)
        assert [c["id"] for c in found["data"]] == [customer["id"]]
        assert (await ok("get_customer", customerId=customer["id"]))["data"]["email"] == email
        updated = await ok("update_customer", customerId=customer["id"], sentiment="happy")
        assert updated["data"]["sentiment"] == "happy"

        ticket = (
            await ok(
                "create_ticket",
                title="Router keeps rebooting",
                priority="urgent",
                customerId=customer["id"],
                firstMessage="It reboots every 5 minutes.",
            )
        )["data"]
        assert ticket["messageCount"] == 1 and ticket["customerId"] == customer["id"]

        members = (await ok("list_members", role="agent"))["data"]
        assert members and all(m["role"] == "agent" for m in members)
        assigned = await ok(
            "update_ticket", ticketId=ticket["id"], status="open", assignedTo=members[0]["id"]
        )
        assert assigned["data"]["assignedTo"] == members[0]["id"]
        reply = await ok("add_ticket_message", ticketId=ticket["id"], content="Try a reset.")
        assert reply["data"]["sender"] == "agent" and reply["data"]["isInternal"] is False
        full = (await ok("get_ticket", ticketId=ticket["id"]))["data"]
        assert [m["content"] for m in full["messages"]] == [
            "It reboots every 5 minutes.",
            "Try a reset.",
        ]
        assert full["customer"]["email"] == email

        recent = await ok(
            "list_tickets",
            priority="urgent",
            assignedTo=members[0]["id"],
            createdWithin="1h",
            includeCustomer=True,
        )
        assert ticket["id"] in [t["id"] for t in recent["data"]]
        assert recent["query"]["createdAfter"].endswith("Z")
        unassigned = await ok("update_ticket", ticketId=ticket["id"], assignedTo="")
        assert unassigned["data"]["assignedTo"] is None
        future = await ok("list_tickets", createdAfter="2999-01-01")
        assert future["data"] == [] and future["pagination"]["total"] == 0

        hits = await ok("search_articles", search="router")
        hit = next(a for a in hits["data"] if a["id"] == article_id)
        assert hit["contentTruncated"] is True and len(hit["content"]) < len(long_text)
        assert (await ok("get_article", articleId=article_id))["data"]["content"] == long_text

        fired = await ok("trigger_event", event="customer.updated")
        assert fired["data"]["event"] == "customer.updated"
        assert fired["data"]["eventId"].startswith("evt_")
        events = await ok("list_events", type="ticket.*", since="1h")
        types = {e["type"] for e in events["data"]}
        assert {"ticket.created", "ticket.assigned", "ticket.message_added"} <= types
        hooks = await ok("list_webhooks")
        assert isinstance(hooks["data"], list) and hooks["pagination"] is not None

        logs = await ok("list_request_logs", source="mcp", since="15m")
        assert logs["data"]
        assert all(entry["source"] == "mcp" for entry in logs["data"])
        board = await ok("game_leaderboard", period="week")
        assert isinstance(board["data"], list)
        player = await ok("game_player", userId=members[0]["userId"])
        assert player["data"]["memberId"] == members[0]["userId"]  # echoed, as the docs show it
        bosses = await ok("game_bosses")
        assert isinstance(bosses["data"], list)
        quests = await ok("game_quests", memberId=members[0]["id"])
        assert [q["key"] for q in quests["data"]] == [
            "daily_close_3",
            "weekly_respond_5",
            "weekly_final_blow",
        ]
        assert all(q["memberId"] == members[0]["id"] for q in quests["data"])
        team = await ok("get_preferences")
        assert team["data"]["object"] == "team_preferences" and team["data"]["timezone"]
        mine = await ok("get_preferences", memberId=members[0]["id"])
        assert mine["data"]["memberId"] == members[0]["id"] and mine["data"]["theme"]

        agent = members[0]["id"]
        topic = await ok("list_community_topics")
        assert isinstance(topic["data"], list)
        post = {"title": "MCP dark mode", "body": "b", "member_id": agent}
        made = api.post("/community/posts", json=post).json()["data"]
        posts = await ok("list_community_posts", sort="votes", search="MCP dark mode")
        assert made["id"] in [p["id"] for p in posts["data"]]
        assert (await ok("get_community_post", postId=made["id"]))["data"]["title"] == post["title"]
        assert (await ok("list_community_comments", postId=made["id"]))["data"] == []
        surveys = await ok("list_csat_surveys", since="1h")
        assert isinstance(surveys["data"], list)
        assert "csatScore" in (await ok("csat_stats", since="7d"))["data"]
        metrics = await ok("sla_metrics", since="this_week")
        assert metrics["data"]["overall"]["tickets"] >= 1
        api.delete(f"/community/posts/{made['id']}")

        group = api.post("/customer-groups", json={"name": f"MCP group {email}"}).json()["data"]
        try:
            groups = await ok("list_customer_groups", search=group["name"])
            assert [g["id"] for g in groups["data"]] == [group["id"]]
            one = await ok("get_customer_group", groupId=group["id"])
            assert one["data"]["slug"] == group["slug"]
        finally:
            api.delete(f"/customer-groups/{group['id']}")
        audited = await ok("list_audit_log", action="ticket.created", source="mcp", since="1h")
        assert ticket["id"] in [e["resourceId"] for e in audited["data"]]
        found = await ok("search", q=email, types="customers")
        assert [h["id"] for h in found["data"]] == [customer["id"]]

    mcp_run.run(scenario)
    assert called == set(TOOL_NAMES)


def test_this_week_uses_monday_utc(mcp_run: McpRunner) -> None:
    now = datetime.now(UTC)
    mcp_run.clock = lambda: now

    async def scenario(s: Session) -> None:
        listed = await s.ok("list_tickets", createdAfter="this_week", priority="high")
        monday = (now - timedelta(days=now.weekday())).strftime("%Y-%m-%d")
        assert listed["query"]["createdAfter"] == f"{monday}T00:00:00.000Z"
        assert listed["query"]["priority"] == "high"

    mcp_run.run(scenario)
