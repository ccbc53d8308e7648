"""A reader that goes away (`| head -c1`, a `jq` that stops early) is not a bug: cstar stops,
prints nothing, and exits 141 as git and gh do (128 + SIGPIPE) — for one-shot commands and for
every stream (`logs --tail`, `events --tail`, `listen --json`). Real pipes, real processes."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.processes import CSTAR, login_options
from tests.support.waiting import eventually

PIPE_CLOSED = 141


@pytest.fixture(scope="module")
def server() -> Iterator[PlatformThread]:
    with PlatformThread(PlatformSettings(db_path=":memory:", enforce_rate_limits=False)) as p:
        with staff(p) as api:
            api.post("/tickets", json={"title": "Something to list"}).raise_for_status()
        yield p


def into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """``cstar *args | head -c0``: stdout is a pipe whose reader has already exited."""
    reader = subprocess.Popen(["head", "-c", "0"], stdin=subprocess.PIPE)
    assert reader.stdin is not None
    reader.wait(timeout=30)  # gone without reading a byte
    try:
        return subprocess.run(
            [*CSTAR, *args], stdout=reader.stdin, stderr=subprocess.PIPE, text=True, timeout=60
        )
    finally:
        reader.stdin.close()


def streamed_into_head(args: list[str], produce: Callable[[], object]) -> tuple[int, str]:
    """``cstar *args | head -c1`` while ``produce()`` makes more to print, until cstar exits:
    its exit code and stderr."""
    head = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert head.stdin is not None
    proc = subprocess.Popen([*CSTAR, *args], stdout=head.stdin, stderr=subprocess.PIPE, text=True)
    head.stdin.close()  # cstar is the only writer, head the only reader
    try:
        eventually(lambda: (produce(), proc.poll())[1], lambda code: code is not None, 60, 0.05)
        return proc.wait(timeout=30), proc.communicate(timeout=30)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
        head.wait(timeout=10)


def staff(server: PlatformThread) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {server.keys.secret_key}"},
        timeout=10,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["keys", "list", "--json"],  # JSON
        ["tickets", "list"],  # a table, drawn by Rich
        ["trigger", "--list"],  # plain text
        ["status"],  # details
        ["tickets", "--help"],  # Click's help
    ],
    ids=["json", "table", "text", "detail", "help"],
)
def test_a_one_shot_command_into_a_closed_pipe_exits_141_saying_nothing(
    server: PlatformThread, args: list[str]
) -> None:
    done = into_a_closed_pipe(*args, *login_options(server))
    assert (done.returncode, done.stderr) == (PIPE_CLOSED, "")


def test_logs_tail_into_head_stops_quietly(server: PlatformThread) -> None:
    with staff(server) as api:
        code, stderr = streamed_into_head(
            ["logs", "--tail", "--json", *login_options(server)], lambda: api.get("/tickets")
        )
    assert (code, stderr) == (PIPE_CLOSED, "Tailing request logs (Ctrl-C to stop)…\n")


def test_events_tail_into_head_stops_quietly(server: PlatformThread) -> None:
    with staff(server) as api:
        code, stderr = streamed_into_head(
            ["events", "--tail", "--json", *login_options(server)],
            lambda: api.post("/webhooks/trigger-test", json={"event": "ticket.created"}),
        )
    assert (code, stderr) == (PIPE_CLOSED, "Tailing events (Ctrl-C to stop)…\n")


def test_listen_json_into_head_stops_quietly(server: PlatformThread) -> None:
    with staff(server) as api:
        code, stderr = streamed_into_head(
            ["listen", "--json", *login_options(server), "--device-name", "pipe"],
            lambda: api.post("/webhooks/trigger-test", json={"event": "ticket.created"}),
        )
    assert (code, stderr) == (PIPE_CLOSED, "")
