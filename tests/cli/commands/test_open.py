"""``cstar open`` (D31): a fresh one-time link on the profile's API base, opened or printed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.cli import CliFn
from tests.support.inspector import trade
from tests.support.platforms import RunningPlatform


def test_print_gives_a_link_on_the_profiles_api_base_that_works_once(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    run = cli("open", "--print")
    assert run.exit_code == 0, run.output
    [link] = run.stdout.splitlines()
    assert link.startswith(f"{logged_in.api_base}/?token=")
    assert httpx.get(link, timeout=10).status_code == 200  # the page, which trades the link:
    first = trade(link)
    assert first.status_code == 201 and first.json()["data"]["object"] == "inspector_session"
    assert trade(link).status_code == 401


def test_json_names_the_environment_and_expiry(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("open", "--json")
    assert run.exit_code == 0, run.output
    link = run.json()
    assert link["environment"] == "test" and link["expiresAt"]
    assert link["url"].startswith(f"{logged_in.api_base}/?token=")


def test_it_opens_the_users_browser(
    cli: CliFn, logged_in: RunningPlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text(f"import sys; open({str(seen)!r}, 'w').write(sys.argv[1])\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} %s")
    run = cli("open")
    assert run.exit_code == 0, run.output
    assert "Opened the test inspector" in run.stderr and run.stdout == ""
    assert seen.read_text().startswith(f"{logged_in.api_base}/?token=")


def test_without_a_browser_it_prints_the_link(
    cli: CliFn, logged_in: RunningPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    run = cli("open")
    assert run.exit_code == 0, run.output
    assert run.stdout.strip().startswith(f"{logged_in.api_base}/?token=")
    assert "No browser" in run.stderr


def test_the_hosted_platform_has_no_inspector(cli: CliFn) -> None:
    key = "sk_test_" + "a" * 32
    run = cli("--api-base", "https://www.cstar.help", "--api-key", key, "open", "--json")
    assert run.exit_code == 1
    error = json.loads(run.stderr)["error"]
    assert error["code"] == "inspector_local_only" and "local only" in error["message"]


def test_live_needs_a_live_key(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("open", "--live", "--print")
    assert run.exit_code == 4
    assert "sk_live_" in run.stderr
    live = cli("--api-key", logged_in.live_secret_key, "open", "--live", "--json")
    assert live.exit_code == 0, live.output
    assert live.json()["environment"] == "live"
