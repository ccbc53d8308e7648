"""Resource commands end to end: tickets (and messages), customers, articles, members, raw."""

from __future__ import annotations

import json
import uuid

from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import RunningPlatform


def test_ticket_lifecycle_with_messages(cli: CliFn, logged_in: RunningPlatform) -> None:
    title = f"Printer on fire {uuid.uuid4().hex[:6]}"
    created = cli(
        "tickets", "create", "--title", title, "--priority", "urgent",
        "--tags", "hw", "--tags", "fire", "-d", "metadata[source]=cli", "--json",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    ticket = created.json()
    assert ticket["title"] == title and ticket["priority"] == "urgent"
    assert ticket["tags"] == ["hw", "fire"] and ticket["metadata"] == {"source": "cli"}
    tid = ticket["id"]

    human = cli("tickets", "get", tid)
    assert human.exit_code == 0 and title in human.stdout and "urgent" in human.stdout

    listed = cli("tickets", "list", "--search", title, "--json").json()
    assert [t["id"] for t in listed] == [tid]
    table = cli("tickets", "list", "--priority", "urgent", "--sort", "-createdAt")
    assert tid in table.stdout and "TITLE" in table.stdout and "Page 1" in table.stderr

    updated = cli("tickets", "update", tid, "--status", "open", "--json").json()
    assert updated["status"] == "open"

    msg = cli("tickets", "messages", "create", tid, "--content", "On it!", "--internal", "--json")
    assert msg.exit_code == 0, msg.output
    assert msg.json()["isInternal"] is True
    messages = cli("tickets", "messages", "list", tid, "--json").json()
    assert [m["content"] for m in messages] == ["On it!"]

    deleted = cli("tickets", "delete", tid, "--yes", "--json").json()
    assert deleted == {"id": tid, "deleted": True}
    assert cli("tickets", "get", tid).exit_code == 1


def test_customers_paging_with_all(cli: CliFn, logged_in: RunningPlatform) -> None:
    tag = "t" + uuid.uuid4().hex[:8]
    ids = []
    for n in range(3):
        run = cli(
            "customers", "create", "--name", f"C{n}", "--email", f"c{n}-{tag}@example.com",
            "--tags", tag, "--json",
        )  # fmt: skip
        assert run.exit_code == 0, run.output
        ids.append(run.json()["id"])
    page = cli("customers", "list", "--tag", tag, "--page-size", "2", "--json").json()
    assert len(page) == 2
    page2 = cli("customers", "list", "--tag", tag, "--page-size", "2", "--page", "2", "--json")
    assert len(page2.json()) == 1
    everything = cli("customers", "list", "--tag", tag, "--page-size", "1", "--all", "--json")
    assert sorted(c["id"] for c in everything.json()) == sorted(ids)
    human = cli("customers", "list", "--tag", tag, "--page-size", "2")
    assert "Next: --page 2" in human.stderr


def test_articles_and_members(cli: CliFn, logged_in: RunningPlatform) -> None:
    art = cli(
        "articles", "create", "--title", "Reset your password", "--status", "published",
        "--is-public", "--content", "Click *Forgot*.", "--json",
    ).json()  # fmt: skip
    assert art["isPublic"] is True and art["status"] == "published"
    listed = cli("articles", "list", "--is-public", "--json").json()
    assert art["id"] in [a["id"] for a in listed]
    cli("articles", "update", art["id"], "--no-is-public")
    assert cli("articles", "get", art["id"], "--json").json()["isPublic"] is False

    member = cli(
        "members", "create", "--name", "Grace", "--email", f"g{uuid.uuid4().hex[:6]}@example.com",
        "--role", "manager", "--json",
    ).json()  # fmt: skip
    assert member["role"] == "manager"
    managers = cli("members", "list", "--role", "manager", "--json").json()
    assert member["id"] in [m["id"] for m in managers]
    assert cli("members", "delete", member["id"], "--yes").exit_code == 0


def test_update_needs_a_field(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("customers", "update", "cus_" + "3" * 32)
    assert run.exit_code == 2 and "Nothing to update" in run.stderr


def test_publishable_key_reads_articles_and_says_plainly_what_needs_a_secret_key(
    cli: CliFn, platform: RunningPlatform
) -> None:
    # D23: a publishable key reads published articles; tickets need a secret key (exit 4).
    base = ("--api-base", platform.api_base, "--api-key", platform.publishable_key)
    articles = cli(*base, "articles", "list", "--json")
    assert articles.exit_code == 0, articles.output
    assert isinstance(articles.json(), list)
    tickets = cli(*base, "tickets", "list")
    assert_clean_error(tickets, 4, "`cstar tickets list` needs a secret key", "--api-key sk_test_")
    as_json = cli(*base, "customers", "list", "--json")
    assert as_json.exit_code == 4 and as_json.stdout == ""
    error = json.loads(as_json.stderr)["error"]
    assert error["code"] == "insufficient_permissions"
    assert "`cstar customers list` needs a secret key" in error["message"]


def test_raw_commands(cli: CliFn, logged_in: RunningPlatform) -> None:
    created = cli(
        "post", "/tickets", "-d", "title=Raw", "-d", "tags[]=raw", "-d", 'metadata:={"n":1}'
    )
    assert created.exit_code == 0, created.output
    ticket = created.json()
    assert ticket["tags"] == ["raw"] and ticket["metadata"] == {"n": 1}
    patched = cli("patch", f"/tickets/{ticket['id']}", "-d", "status=pending").json()
    assert patched["status"] == "pending"
    got = cli("get", "/tickets", "-d", "status=pending", "--json").json()
    assert ticket["id"] in [t["id"] for t in got["data"]]
    assert got["pagination"]["page"] == 1 and got["meta"]["requestId"].startswith("req_")
    whoami = cli("get", "/api/v1/auth/whoami").json()
    assert whoami["teamId"] == logged_in.team_id
    assert cli("delete", f"/tickets/{ticket['id']}").json()["deleted"] is True
    url = cli("get", "https://example.com/tickets")
    assert url.exit_code == 2 and "path, not a URL" in url.stderr
