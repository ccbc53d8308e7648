"""``cstar dev exec -- CMD`` (D35) as a CI job runs it: a throwaway platform around CMD."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.cli import CliFn, assert_clean_error
from tests.support.processes import CSTAR, run_cstar
from tests.support.terminal import Terminal

CSTAR_IN_SH = " ".join(shlex.quote(part) for part in CSTAR)  # `cstar`, as CMD would run it
UUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def test_cmd_finds_the_platform_through_its_environment(logged_in: object) -> None:
    """`cstar` under exec talks to the throwaway platform, not the profile's (logged in
    elsewhere here), and the platform is gone once CMD ends."""
    script = (
        f"{CSTAR_IN_SH} tickets create --title 'From CI' >/dev/null && "
        f"{CSTAR_IN_SH} tickets list --json && "
        'echo "$CSTAR_API_BASE $CSTAR_API_KEY $CSTAR_PUBLISHABLE_KEY $CSTAR_TEAM_ID" >&2'
    )
    run = run_cstar("dev", "exec", "--", "sh", "-c", script, timeout=120)
    assert run.returncode == 0, run.stderr
    [ticket] = json.loads(run.stdout)
    assert ticket["title"] == "From CI"
    api_base, secret, publishable, team = run.stderr.split()[-4:]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", api_base)
    assert secret.startswith("sk_test_") and publishable.startswith("pk_test_")
    assert UUID.match(team)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{api_base}/healthz", timeout=5)


def test_it_exits_with_cmds_code(tmp_path: Path) -> None:
    assert run_cstar("dev", "exec", "--", "false", timeout=120).returncode == 1
    seven = run_cstar("dev", "exec", "sh", "-c", "exit 7", timeout=120)  # no -- needed
    assert seven.returncode == 7, seven.stderr
    missing = run_cstar("dev", "exec", "--", "no-such-command-here", timeout=120)
    assert missing.returncode == 127
    assert "Command not found: no-such-command-here" in missing.stderr
    script = tmp_path / "not-executable.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    refused = run_cstar("dev", "exec", "--", str(script), timeout=120)
    assert refused.returncode == 126 and "chmod +x" in refused.stderr
    for run in (missing, refused):
        assert "Traceback" not in run.stderr


def test_ctrl_c_reaches_cmd_and_the_wrapper_waits_for_it() -> None:
    script = "trap 'echo CMD got SIGINT; exit 5' INT; echo ready; while :; do sleep 0.05; done"
    terminal = Terminal([*CSTAR, "dev", "exec", "--", "sh", "-c", script])
    try:
        terminal.wait_for("ready")
        terminal.type("\x03")
        assert terminal.wait() == 5  # CMD's own exit code: the wrapper outlived the Ctrl-C
        assert "CMD got SIGINT" in terminal.text
        assert "Traceback" not in terminal.text and "Interrupted" not in terminal.text
    finally:
        terminal.close()


def test_a_platform_that_cannot_start_runs_nothing(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: PlatformThread) -> PlatformThread:
        raise RuntimeError("the local platform did not start")

    monkeypatch.setattr(PlatformThread, "start", refuse)
    marker = tmp_path / "ran"
    run = cli("dev", "exec", "--", sys.executable, "-c", f"open({str(marker)!r}, 'w')")
    assert_clean_error(run, 1, "did not start", "nothing was run")
    assert not marker.exists()


def test_bad_options_are_usage_errors_before_anything_starts(cli: CliFn, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = ["--", sys.executable, "-c", f"open({str(marker)!r}, 'w')"]
    bad_origin = cli("dev", "exec", "--cors-origin", "localhost:5173", *command)
    assert_clean_error(bad_origin, 2, "--cors-origin")
    misplaced = cli("dev", "--port", "0", "exec", *command)
    assert_clean_error(misplaced, 2, "--port", "cstar dev exec --help")
    no_command = cli("dev", "exec")
    assert no_command.exit_code == 2 and "CMD" in no_command.output
    assert not marker.exists()
