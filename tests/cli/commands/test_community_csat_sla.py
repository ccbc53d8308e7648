"""``cstar community``, ``cstar csat`` and ``cstar sla`` end to end against a real platform."""

from __future__ import annotations

from tests.support.cli import CliFn
from tests.support.platforms import platform_of_its_own


def test_community_topics_posts_comments_and_votes(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        agent = cli("members", "list", "--role", "agent", "--json").json()[0]["id"]
        topic = cli("community", "topics", "create", "--name", "Feature requests", "--json")
        assert topic.exit_code == 0, topic.output
        assert topic.json()["slug"] == "feature-requests"
        made = cli(
            "community", "posts", "create", "--title", "Dark mode", "--body", "Please",
            "--topic-id", "feature-requests", "--member-id", agent, "--json",
        )  # fmt: skip
        assert made.exit_code == 0, made.output
        post = made.json()
        assert post["id"].startswith("pst_") and post["topic_id"] == topic.json()["id"]

        missing = cli("community", "posts", "create", "--title", "t", "--body", "b")
        assert missing.exit_code != 0 and "member_id" in missing.output
        assert "Traceback" not in missing.output

        voted = cli("community", "posts", "vote", post["id"], "--member-id", agent)
        assert voted.exit_code == 0 and "1 vote(s)" in voted.output
        comment = cli(
            "community", "comments", "create", post["id"], "--body", "Planned!",
            "--member-id", agent, "--json",
        )  # fmt: skip
        assert comment.exit_code == 0 and comment.json()["is_official"] is True
        comments = cli("community", "comments", "list", post["id"])
        assert "Planned!" in comments.stdout and comment.json()["id"] in comments.stdout

        updated = cli("community", "posts", "update", post["id"], "--status", "planned", "--json")
        assert updated.json()["status"] == "planned"
        author = cli("community", "posts", "update", post["id"], "--member-id", agent)
        assert author.exit_code == 2 and "--member-id" in author.output  # create only
        table = cli("community", "posts", "list", "--sort", "votes")
        assert post["id"] in table.stdout and "VOTES" in table.stdout
        listed = cli("community", "posts", "list", "--topic", "feature-requests", "--json").json()
        assert [p["vote_count"] for p in listed] == [1]
        unvoted = cli("community", "posts", "unvote", post["id"], "--member-id", agent, "--json")
        assert unvoted.json()["vote_count"] == 0
        gone = cli("community", "posts", "delete", post["id"], "--yes", "--json").json()
        assert gone == {"id": post["id"], "deleted": True}
        assert cli("community", "posts", "get", post["id"]).exit_code == 1


def test_csat_and_sla_commands(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        ticket = cli(
            "tickets", "create", "--title", "Help", "--priority", "urgent", "--json"
        ).json()
        settings = cli("csat", "settings", "--question", "How did we do?", "--json")
        assert settings.exit_code == 0 and settings.json()["question"] == "How did we do?"
        assert "How did we do?" in cli("csat", "settings").stdout
        survey = cli(
            "csat", "surveys", "create", "--ticket-id", ticket["id"], "--rating", "5", "--json"
        )
        assert survey.exit_code == 0 and survey.json()["id"].startswith("srv_")
        again = cli("csat", "surveys", "create", "--ticket-id", ticket["id"], "--rating", "1")
        assert again.exit_code != 0 and "already answered" in again.output
        listed = cli("csat", "surveys", "list", "--since", "1h", "--json").json()
        assert [s["rating"] for s in listed] == [5]
        stats = cli("csat", "stats", "--json").json()
        assert stats["responses"] == 1 and stats["csatScore"] == 100.0
        assert "5★ 1" in cli("csat", "stats").stdout
        bad = cli("csat", "stats", "--since", "yesterday")
        assert bad.exit_code == 2

        metrics = cli("sla", "metrics", "--since", "1d", "--json").json()
        assert metrics["overall"]["tickets"] == 1
        assert metrics["byPriority"]["urgent"]["responseTargetMinutes"] == 15
        table = cli("sla", "metrics")
        assert table.exit_code == 0 and "urgent" in table.stdout and "overall" in table.stdout


def test_fixtures_make_real_vote_and_survey_events(cli: CliFn) -> None:
    with platform_of_its_own(cli):
        voted = cli("trigger", "community_post.voted", "--fixture", "--json")
        assert voted.exit_code == 0, voted.output
        [event] = [e for e in voted.json()["events"] if e["type"] == "community_post.voted"]
        shown = cli("events", "get", event["id"], "--json").json()
        assert shown["data"]["post"]["vote_count"] == 1
        assert shown["data"]["post"]["id"].startswith("pst_")
        [post] = cli("community", "posts", "list", "--json").json()
        assert post["id"] == shown["data"]["post"]["id"] and post["vote_count"] == 1

        survey = cli("trigger", "survey.submitted", "--fixture", "--json")
        assert survey.exit_code == 0, survey.output
        [event] = [e for e in survey.json()["events"] if e["type"] == "survey.submitted"]
        data = cli("events", "get", event["id"], "--json").json()["data"]
        assert data["survey"]["rating"] == 5 and data["survey"]["id"].startswith("srv_")
        assert data["customer"]["email"].startswith("jane.doe+")
        assert cli("csat", "stats", "--json").json()["responses"] == 1
