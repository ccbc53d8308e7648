"""login, logout, status and config against the real local platform."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from cstar_cli import __version__
from tests.support.cli import CliFn
from tests.support.platforms import RunningPlatform


def test_login_status_logout(cli: CliFn, platform: RunningPlatform, isolate: Path) -> None:
    run = cli("login", "--api-base", platform.api_base, "--api-key", platform.secret_key)
    assert run.exit_code == 0, run.output
    assert "Logged in to Local Dev Team" in run.stderr
    assert run.stdout == ""
    assert platform.secret_key not in run.output

    config = (isolate / "config.toml").read_text()
    assert f'team_id = "{platform.team_id}"' in config and 'environment = "test"' in config
    assert platform.secret_key not in config
    creds = isolate / "credentials.json"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert stat.S_IMODE(isolate.stat().st_mode) in (0o700, 0o755)  # pre-created by the fixture
    assert json.loads(creds.read_text())["profiles"]["default"]["apiKey"] == platform.secret_key

    status = cli("status")
    assert status.exit_code == 0, status.output
    assert "sk_test_…" + platform.secret_key[-4:] in status.stdout
    assert platform.secret_key not in status.output
    assert platform.team_id in status.stdout and __version__ in status.stdout

    data = cli("status", "--json").json()
    assert data["teamId"] == platform.team_id and data["environment"] == "test"
    assert data["api"]["reachable"] is True and data["api"]["requestId"].startswith("req_")
    assert data["key"] == "sk_test_…" + platform.secret_key[-4:]

    out = cli("logout")
    assert out.exit_code == 0 and "Logged out" in out.stderr
    assert cli("status").exit_code == 4
    assert "team_id" not in (isolate / "config.toml").read_text()


def test_credentials_directory_is_created_private(
    cli: CliFn, platform: RunningPlatform, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "fresh" / "cstar"
    monkeypatch.setenv("CSTAR_HOME", str(home))
    assert (
        cli("login", "--api-base", platform.api_base, "--api-key", platform.secret_key).exit_code
        == 0
    )
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "config.toml").stat().st_mode) == 0o600


def test_profiles_and_logout_all(cli: CliFn, platform: RunningPlatform) -> None:
    base = ["--api-base", platform.api_base]
    assert cli("login", *base, "--api-key", platform.secret_key).exit_code == 0
    # Global options after the subcommand work too.
    run = cli("login", "--api-key", platform.live_secret_key, *base, "--profile", "live")
    assert run.exit_code == 0, run.output
    assert cli("status", "-p", "live", "--json").json()["environment"] == "live"
    assert cli("status", "--json").json()["environment"] == "test"
    listed = cli("config", "list", "--json").json()
    assert set(listed) == {"default", "live"}
    out = cli("logout", "--all", "--json")
    assert sorted(out.json()["loggedOut"]) == ["default", "live"]
    assert cli("status", "-p", "live").exit_code == 4


def test_precedence_flag_over_env_over_profile(
    cli: CliFn, logged_in: RunningPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("status", "--json").json()["apiBaseSource"] == "profile default"
    monkeypatch.setenv("CSTAR_API_BASE", logged_in.api_base + "/")
    data = cli("status", "--json").json()
    assert data["apiBaseSource"] == "CSTAR_API_BASE" and data["apiBase"] == logged_in.api_base
    data = cli("status", "--json", "--api-base", logged_in.api_base).json()
    assert data["apiBaseSource"] == "--api-base"
    monkeypatch.setenv("CSTAR_API_KEY", logged_in.publishable_key)
    assert cli("status", "--json").json()["keySource"] == "CSTAR_API_KEY"
    data = cli("status", "--json", "--api-key", logged_in.secret_key).json()
    assert data["keySource"] == "--api-key" and data["keyType"] == "secret"


def test_config_get_set_unset(cli: CliFn, logged_in: RunningPlatform) -> None:
    assert cli("config", "get", "api_base").stdout.strip() == logged_in.api_base
    assert cli("config", "set", "color", "never").exit_code == 0
    assert cli("config", "get", "color", "--json").json() == {"color": "never"}
    assert cli("config", "unset", "color").exit_code == 0
    run = cli("config", "get", "color")
    assert run.exit_code == 1 and "not set" in run.stderr
    assert cli("config", "set", "api_base", "localhost:1").exit_code == 2
    table = cli("config", "list")
    assert "team_id" in table.stdout and logged_in.team_id in table.stdout


def test_version_and_help(cli: CliFn) -> None:
    assert cli("--version").stdout.strip() == f"cstar {__version__}"
    help_text = cli("--help").stdout
    for group in ("login", "status", "keys", "tickets", "customers", "articles", "members"):
        assert group in help_text
    assert "Example:" in cli("tickets", "create", "--help").stdout
