"""`cstar listen` in a project with a `cstar.toml` (D40): it forwards by the file's routes, says
which file it read, and a flag or a CSTAR_LISTEN_ variable replaces the file's value."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.projects import Project
from tests.support.receivers import Receiver
from tests.support.relay import ListenProcess, Target, fire


def test_listen_forwards_by_the_files_routes(
    project: Project, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as game, Receiver() as app:
        path = project(
            f"""\
            [listen]
            forward-to = ["boss.*={game.url}", "{app.url}"]
            events = ["boss.*", "ticket.created"]
            headers = {{ X-Team = "blue" }}
            """,
        )
        process = listen(target, "--device-name", "project")
        assert [(r["target"], r["events"]) for r in process.ready["routes"]] == [
            (game.url, ["boss.*"]),
            (app.url, ["*"]),
        ]
        [boss] = fire(target, 1, "boss.spawned")
        fire(target, 1, "customer.created")  # not in the file's events
        [ticket] = fire(target, 1, "ticket.created")
        [got_boss] = game.wait_for(lambda rs: len(rs) == 1)
        arrived = app.wait_for(lambda rs: len(rs) == 2)
    assert got_boss.headers["x-event-id"] == boss
    assert got_boss.headers["x-team"] == "blue"
    assert [r.headers["x-event-id"] for r in arrived] == [boss, ticket]
    said = "".join(process.stderr)
    assert f"Using [listen] forward-to, events, headers from {path}." in said


def test_a_flag_replaces_the_files_list(
    project: Project, target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as ours:
        path = project(
            """\
            [listen]
            forward-to = ["3000/webhooks", "boss.*=4000"]
            events = ["ticket.*"]
            """,
        )
        process = listen(target, "-f", ours.url, "--device-name", "flag")
        assert [r["target"] for r in process.ready["routes"]] == [ours.url]
        [ticket] = fire(target, 1, "ticket.created")
        [delivery] = ours.wait_for(lambda rs: len(rs) == 1)
    assert delivery.headers["x-event-id"] == ticket
    said = "".join(process.stderr)
    assert f"Using [listen] events from {path}." in said  # forward-to was the flag's


def test_the_environment_wins_over_the_file(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    target: Target,
    listen: Callable[..., ListenProcess],
) -> None:
    with Receiver() as game, Receiver() as ours:
        project('[listen]\nforward-to = ["3000/webhooks"]\n')
        monkeypatch.setenv("CSTAR_LISTEN_FORWARD_TO", f"boss.*={game.url}  {ours.url}")
        process = listen(target, "--device-name", "env")
        assert [r["target"] for r in process.ready["routes"]] == [game.url, ours.url]
        [boss] = fire(target, 1, "boss.spawned")
        [delivery] = game.wait_for(lambda rs: len(rs) == 1)
        ours.wait_for(lambda rs: len(rs) == 1)
    assert delivery.headers["x-event-id"] == boss
    assert "Using [listen]" not in "".join(process.stderr)
