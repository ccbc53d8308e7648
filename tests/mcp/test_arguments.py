"""Tool arguments: the API's camelCase names, and clear errors for unknown, missing or bad ones."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from cstar_cli.mcp.arguments import suggestions
from cstar_cli.mcp.tools import TOOL_NAMES, WRITE_TOOLS
from tests.mcp.conftest import McpRunner, Session

LIST_TICKETS = [
    "status",
    "priority",
    "assignedTo",
    "customerId",
    "search",
    "tag",
    "createdAfter",
    "createdBefore",
    "createdWithin",
    "includeCustomer",
    "sort",
    "page",
    "pageSize",
]


def text_of(result: Any) -> str:
    return str(result.content[0].text)


async def refused(s: Session, tool: str, /, **arguments: Any) -> tuple[dict[str, Any], str]:
    """Call a tool whose arguments are refused: nothing reaches the API, and the answer is a
    tool error in words (no pydantic dump)."""
    sent = len(s.transport.requests)
    result = await s.call(tool, **arguments)
    assert len(s.transport.requests) == sent, "an argument error reached the API"
    assert result.is_error and isinstance(result.structured_content, dict), result
    error: dict[str, Any] = result.structured_content["error"]
    text = text_of(result)
    assert text.startswith(error["message"]) and (error["hint"] or "") in text
    for dump in ("validation error", "type=", "pydantic", "Field required", "input_value"):
        assert dump not in text, text
    assert error["type"] == "invalid_request_error"
    return error, text


# -- what list_tools shows ---------------------------------------------------------------------


def test_input_schemas_use_the_api_spelling(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        listed = {tool.name: tool for tool in (await s.client.list_tools()).tools}
        assert list(listed["list_tickets"].input_schema["properties"]) == LIST_TICKETS
        for name, tool in listed.items():
            for argument in tool.input_schema.get("properties", {}):
                assert "_" not in argument and argument[0].islower(), (name, argument)
            assert "_id" not in (tool.description or ""), name
        assert listed["get_ticket"].input_schema["required"] == ["ticketId"]
        assert listed["add_ticket_message"].input_schema["required"] == ["ticketId", "content"]
        assert "isInternal" in listed["add_ticket_message"].input_schema["properties"]
        assert "customFields" in listed["create_customer"].input_schema["properties"]
        assert "statusClass" in listed["list_request_logs"].input_schema["properties"]
        assert listed["game_player"].input_schema["required"] == ["userId"]
        assert "search" in listed["search_articles"].input_schema["properties"]
        assert "createdAfter" in (listed["list_tickets"].description or "")

    mcp_run.run(scenario)


# -- unknown arguments ---------------------------------------------------------------------------


def test_an_unknown_argument_is_an_error_listing_the_accepted_ones(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        error, text = await refused(s, "list_tickets", bogus=1)
        assert error["code"] == "unknown_argument" and error["param"] == "bogus"
        assert "'bogus'" in error["message"] and "Did you mean" not in error["message"]
        assert all(name in error["hint"] for name in LIST_TICKETS)
        assert "Accepted arguments: status, priority" in text
        two, _ = await refused(s, "list_customers", bogus=1, page_size=5)
        assert (
            "'bogus'" in two["message"]
            and "'page_size' (did you mean pageSize?)" in (two["message"])
        )
        none, _ = await refused(s, "whoami", verbose=True)
        assert "Accepted arguments: none" in none["hint"]

    mcp_run.run(scenario)


def test_created_suggests_the_time_filters_the_tool_has(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        error, _ = await refused(s, "list_tickets", created="this week")
        assert error["param"] == "created"
        assert error["message"] == (
            "list_tickets has no argument 'created'. "
            "Did you mean createdAfter, createdBefore or createdWithin?"
        )
        snake, _ = await refused(s, "list_tickets", created_after="this_week")
        assert snake["message"].endswith("Did you mean createdAfter?")
        article, _ = await refused(s, "search_articles", query="router")
        assert article["message"].endswith("Did you mean search?")

    mcp_run.run(scenario)


@pytest.mark.parametrize(
    ("given", "accepted", "expected"),
    [
        ("ticket_id", ["ticketId"], ["ticketId"]),
        ("TICKETID", ["ticketId"], ["ticketId"]),
        ("id", ["ticketId"], ["ticketId"]),
        ("limit", ["page", "pageSize"], ["pageSize"]),
        ("assignee", LIST_TICKETS, ["assignedTo"]),
        ("customer", LIST_TICKETS, ["customerId"]),
        ("tags", LIST_TICKETS, ["tag"]),
        ("per_page", ["page", "pageSize"], ["pageSize"]),
        ("bogus", LIST_TICKETS, []),
        ("created", ["createdAfter", "page"], ["createdAfter"]),
    ],
)
def test_suggestions(given: str, accepted: list[str], expected: list[str]) -> None:
    assert suggestions(given, accepted) == expected


# -- missing and wrongly typed arguments ----------------------------------------------------


def test_a_missing_ticket_id_is_a_clear_error(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        error, _ = await refused(s, "get_ticket")
        assert error["code"] == "missing_argument" and error["param"] == "ticketId"
        assert error["message"] == (
            "get_ticket needs ticketId: a non-empty string — Ticket id (tkt_…)."
        )
        old, _ = await refused(s, "get_ticket", ticket_id="tkt_" + "0" * 32)
        assert old["code"] == "unknown_argument"
        assert old["message"] == "get_ticket has no argument 'ticket_id'. Did you mean ticketId?"
        empty, _ = await refused(s, "update_ticket", ticketId="", status="open")
        assert empty["message"] == 'ticketId must be a non-empty string; got "".'
        null, _ = await refused(s, "add_ticket_message", ticketId=None, content="Hi")
        assert null["message"] == "ticketId must be a non-empty string; got null."

    mcp_run.run(scenario)


def test_wrongly_typed_arguments_say_what_they_expect(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        size, _ = await refused(s, "list_tickets", pageSize=500)
        assert size["code"] == "invalid_argument" and size["param"] == "pageSize"
        assert size["message"] == "pageSize must be an integer from 1 to 100; got 500."
        word, _ = await refused(s, "list_customers", pageSize="many")
        assert word["message"] == 'pageSize must be an integer from 1 to 100; got "many".'
        enum, _ = await refused(s, "list_tickets", priority="extreme")
        assert enum["message"] == (
            'priority must be one of low, normal, high, urgent; got "extreme".'
        )
        flag, _ = await refused(s, "list_tickets", includeCustomer="perhaps")
        assert flag["message"] == 'includeCustomer must be true or false; got "perhaps".'
        both, _ = await refused(s, "list_request_logs", status=42, statusClass="9xx")
        assert both["message"].startswith("status must be an integer from 100 to 599; got 42.")
        assert "statusClass must be one of" in both["message"] and "4xx" in both["message"]
        time, _ = await refused(s, "list_tickets", createdAfter="soonish")
        assert time["param"] == "createdAfter" and "this_week" in time["message"]

    mcp_run.run(scenario)


def test_write_tools_check_arguments_too(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        missing, _ = await refused(s, "create_ticket", priority="high")
        assert missing["code"] == "missing_argument" and missing["param"] == "title"
        tags, _ = await refused(s, "create_ticket", title="T", tags="vip")
        assert tags["message"] == 'tags must be a list of strings (at most 50); got "vip".'
        snake, _ = await refused(s, "create_customer", name="N", email="n@x.io", custom_fields={})
        assert snake["message"].endswith("Did you mean customFields?")

    mcp_run.run(scenario)


# -- camelCase names filter ----------------------------------------------------------------------


def test_camel_case_filters_actually_filter(mcp_run: McpRunner) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"

    async def scenario(s: Session) -> None:
        ids = []
        for n in range(2):
            email = f"args-{uuid.uuid4().hex[:8]}@example.com"
            customer = await s.ok("create_customer", name=f"Args {n}", email=email)
            ids.append(customer["data"]["id"])
        mine = await s.ok("create_ticket", title="Mine", customerId=ids[0], tags=[tag])
        await s.ok("create_ticket", title="Theirs", customerId=ids[1], tags=[tag])
        member = (await s.ok("list_members", pageSize=1))["data"][0]
        await s.ok("update_ticket", ticketId=mine["data"]["id"], assignedTo=member["id"])

        tagged = await s.ok("list_tickets", tag=tag)
        assert len(tagged["data"]) == 2
        by_customer = await s.ok("list_tickets", tag=tag, customerId=ids[0])
        assert [t["id"] for t in by_customer["data"]] == [mine["data"]["id"]]
        assert by_customer["query"]["customerId"] == ids[0]
        by_member = await s.ok("list_tickets", tag=tag, assignedTo=member["id"])
        assert [t["id"] for t in by_member["data"]] == [mine["data"]["id"]]
        one = await s.ok("list_tickets", tag=tag, pageSize=1, includeCustomer=True)
        assert len(one["data"]) == 1 and one["pagination"]["pageSize"] == 1
        assert one["data"][0]["customer"]["id"] in ids
        later = await s.ok("list_tickets", tag=tag, createdAfter="2999-01-01")
        assert later["data"] == []
        earlier = await s.ok("list_tickets", tag=tag, createdBefore="2000-01-01")
        assert earlier["data"] == []
        recent = await s.ok("list_tickets", tag=tag, createdWithin="1h")
        assert len(recent["data"]) == 2
        got = await s.ok("get_ticket", ticketId=mine["data"]["id"])
        assert got["data"]["customer"]["id"] == ids[0]
        note = await s.ok(
            "add_ticket_message", ticketId=mine["data"]["id"], content="N", isInternal=True
        )
        assert note["data"]["isInternal"] is True

    mcp_run.run(scenario)


# -- read-only ---------------------------------------------------------------------------------


def test_read_only_still_hides_write_tools(mcp_run: McpRunner) -> None:
    async def scenario(s: Session) -> None:
        names = set(await s.tool_names())
        assert names == set(TOOL_NAMES) - WRITE_TOOLS
        for tool in ("create_ticket", "update_ticket", "trigger_event"):
            result = await s.call(tool, title="x", bogus=1)
            assert result.is_error and "Unknown tool" in text_of(result), tool
        error, _ = await refused(s, "list_tickets", created="today")
        assert error["code"] == "unknown_argument"

    mcp_run.run(scenario, read_only=True)
