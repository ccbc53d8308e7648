"""``cstar customer-groups``, ``cstar invites`` and ``cstar audit-log`` end to end (D41, D42,
D47): a CLI write, an inspector button and an MCP tool call each leave their entry, with the
right actor and source, and no secret ever shows."""

from __future__ import annotations

import json

from cstar_cli.wire.keys import SECRET_PATTERN
from tests.mcp.conftest import McpRunner, Session
from tests.support.cli import CliFn
from tests.support.inspector import inspector_client, new_link
from tests.support.platforms import RunningPlatform, platform_of_its_own


def test_cli_inspector_and_mcp_writes_each_leave_an_audit_entry(cli: CliFn) -> None:
    with platform_of_its_own(cli) as server:
        link = new_link(server)  # (minting the link is a write of its own, through the API)
        ticket = cli("tickets", "create", "--title", "Printer", "--json").json()
        updated = cli("tickets", "update", ticket["id"], "--priority", "high")
        assert updated.exit_code == 0, updated.output
        with inspector_client(link) as browser:
            moved = browser.post(
                "/inspector/call/test-helpers/clock/advance",
                json={"seconds": 60},
                headers={"Origin": server.api_base},
            )
            assert moved.status_code == 200, moved.text

        async def tool_call(session: Session) -> None:
            await session.ok("create_customer", name="Ada", email="ada@x.io")

        McpRunner(RunningPlatform.serving(server)).run(tool_call)
        run = cli("audit-log", "--json")
        assert run.exit_code == 0, run.output
        newest = run.json()[:3]
        assert [(e["action"], e["source"]) for e in newest] == [
            ("customer.created", "mcp"),
            ("test_clock.advanced", "inspector"),
            ("ticket.updated", "cli"),
        ]
        assert {e["actorType"] for e in newest} == {"api_key"}
        assert newest[2]["resourceId"] == ticket["id"]
        assert newest[2]["details"] == {"priority": "high"}
        table = cli("audit-log", "--action", "ticket.updated")
        assert table.exit_code == 0 and ticket["id"] in table.stdout and "cli" in table.stdout
        assert "ticket.created" not in table.stdout
        recent = cli("audit-log", "--since", "1h", "--source", "inspector", "--json").json()
        assert [e["action"] for e in recent] == ["test_clock.advanced"]
        bad = cli("audit-log", "--since", "yesterday-ish")
        assert bad.exit_code == 2 and "--since" in bad.stderr


def test_no_secret_in_any_audit_entry_after_keys_and_webhooks(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        key = cli("keys", "create", "--name", "ci", "--json").json()
        hook = cli(
            "webhooks", "create", "--url", "http://127.0.0.1:9/h", "--events", "ticket.*", "--json"
        ).json()
        rotated = cli("webhooks", "rotate-secret", hook["id"], "--yes", "--json")
        assert rotated.exit_code == 0, rotated.output
        entries = cli("audit-log", "--page-size", "100", "--json").json()
        text = json.dumps(entries)
        assert {"key.created", "webhook.created", "webhook.secret_rotated"} <= {
            e["action"] for e in entries
        }
        for secret in (key.get("secret"), hook.get("secret"), rotated.json().get("secret")):
            assert secret and secret not in text
        assert SECRET_PATTERN.search(text) is None


def test_customer_groups_and_invites_commands(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        group = cli("customer-groups", "create", "--name", "Acme Corp", "--json").json()
        assert group["id"].startswith("cgr_") and group["slug"] == "acme-corp"
        ada = cli("customers", "create", "--name", "Ada", "--email", "a@x.io", "--json").json()
        bob = cli("customers", "create", "--name", "Bob", "--email", "b@x.io", "--json").json()
        added = cli("customer-groups", "add-customers", group["id"], ada["id"], bob["id"])
        assert added.exit_code == 0 and "2 customer(s)" in added.stderr
        table = cli("customer-groups", "list")
        assert group["id"] in table.stdout and "CUSTOMERS" in table.stdout
        removed = cli("customer-groups", "remove-customer", group["id"], bob["id"], "--json")
        assert removed.json()["customerCount"] == 1
        clash = cli("customer-groups", "create", "--name", "Acme Corp")
        assert clash.exit_code != 0 and "slug" in clash.stderr
        updated = cli("customer-groups", "update", group["id"], "--external-id", "zd_1", "--json")
        assert updated.json()["externalId"] == "zd_1"
        assert cli("customer-groups", "get", group["id"], "--json").json()["customerCount"] == 1
        gone = cli("customer-groups", "delete", group["id"], "--yes")
        assert gone.exit_code == 0 and "Deleted customer group" in gone.output

        invite = cli("invites", "create", "--email", "new@x.io", "--role", "agent", "--json")
        assert invite.exit_code == 0, invite.output
        invite_id = invite.json()["id"]
        assert invite_id in cli("invites", "list").stdout
        revoked = cli("invites", "revoke", invite_id, "--yes")
        assert revoked.exit_code == 0 and f"Revoked invite {invite_id}" in revoked.output
        assert cli("invites", "get", invite_id, "--json").json()["status"] == "revoked"
        assert cli("invites", "update", invite_id).exit_code == 2  # invites have no update


def test_the_group_updated_fixture_is_a_real_membership_change(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        run = cli("trigger", "customer_group.updated", "--fixture", "--json")
        assert run.exit_code == 0, run.output
        events = run.json()["events"]
        [event_id] = [e["id"] for e in events if e["type"] == "customer_group.updated"]
        event = cli("events", "get", event_id, "--json").json()
        change = event["data"]["changes"]["customer_ids"]
        assert change["from"] == [] and len(change["to"]) == 1
        assert change["to"][0].startswith("cus_")
        assert event["data"]["customer_group"]["customer_count"] == 1


def test_search_command(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        ticket = cli("tickets", "create", "--title", "Printer jam", "--json").json()
        cli("customers", "create", "--name", "Printer Co", "--email", "p@x.io")
        table = cli("search", "printer", "--types", "tickets")
        assert table.exit_code == 0, table.output
        assert ticket["id"] in table.stdout and "Printer jam" in table.stdout
        assert "cus_" not in table.stdout
        hits = cli("search", "printer", "--json").json()
        assert {h["object"] for h in hits} == {"ticket", "customer"}
        nothing = cli("search", "zebra")
        assert nothing.exit_code == 0 and "Nothing matches" in nothing.output
        bad = cli("search", "printer", "--types", "bogus")
        assert bad.exit_code != 0 and "types" in bad.stderr
