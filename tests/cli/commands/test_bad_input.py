"""The bad-input matrix: each case asserts exit code, message, and that no traceback shows."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from cstar_cli.cli.context import Seams
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.cli import CliFn, Sleeps, assert_clean_error
from tests.support.clocks import FakeClock
from tests.support.platforms import RunningPlatform
from tests.support.processes import login_options, run_cstar

GOOD_SHAPE_KEY = "sk_test_" + "A" * 32


def error_body(status: int, type_: str, code: str, message: str, rid: str) -> dict[str, Any]:
    return {
        "success": False,
        "error": {
            "type": type_,
            "code": code,
            "message": message,
            "doc_url": f"https://www.cstar.help/developers/errors#{code}",
            "request_id": rid,
        },
        "meta": {"requestId": rid, "timestamp": "2026-01-01T00:00:00Z"},
    }


def whoami_ok(request: httpx.Request) -> httpx.Response | None:
    if request.url.path == "/api/v1/auth/whoami":
        data = {
            "teamId": "team-1",
            "teamName": "T",
            "teamSlug": "t",
            "keyId": "key_1",
            "keyType": "secret",
            "environment": "test",
        }
        return httpx.Response(200, json={"success": True, "data": data, "meta": {}})
    return None


def test_malformed_key_is_refused_before_any_network_call(cli: CliFn) -> None:
    # Port 9 on loopback is closed: a network call would exit 5, not 2.
    run = cli("login", "--api-base", "http://127.0.0.1:9", "--api-key", "sk_test_short")
    assert_clean_error(run, 2, "not a cStar key", "sk_test_")


def test_malformed_key_from_environment(cli: CliFn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTAR_API_KEY", "hunter2-not-a-key")
    run = cli("tickets", "list", "--api-base", "http://127.0.0.1:9")
    assert_clean_error(run, 2, "CSTAR_API_KEY", "not a cStar key")


def test_unknown_profile(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("tickets", "list", "--profile", "staging")
    assert_clean_error(run, 4, "Profile 'staging' does not exist", "cstar login --profile staging")


def test_unknown_profile_from_environment(
    cli: CliFn, logged_in: RunningPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTAR_PROFILE", "nope")
    run = cli("status")
    assert_clean_error(run, 4, "'nope' does not exist")


def test_not_logged_in(cli: CliFn) -> None:
    run = cli("tickets", "list")
    assert_clean_error(run, 4, "Not logged in", "cstar login")


def test_api_base_unreachable_exits_5(cli: CliFn, sleeps: Sleeps) -> None:
    run = cli("login", "--api-base", "http://127.0.0.1:9", "--api-key", GOOD_SHAPE_KEY)
    assert_clean_error(run, 5, "Could not reach the API at http://127.0.0.1:9", "cstar dev")
    assert len(sleeps.calls) == 2  # two retries with backoff before giving up


def test_api_base_not_a_url_is_a_usage_error_before_any_request(cli: CliFn, sleeps: Sleeps) -> None:
    run = cli("status", "--api-base", "ftp:/nowhere", "--api-key", GOOD_SHAPE_KEY)
    assert_clean_error(run, 2, "(from --api-base) is not an http(s) URL")
    assert sleeps.calls == []
    bare = cli("tickets", "list", "--api-base", "localhost:8642", "--api-key", GOOD_SHAPE_KEY)
    assert_clean_error(bare, 2, "has no http:// or https://", "--api-base http://localhost:8642")
    login = cli("login", "--api-key", GOOD_SHAPE_KEY, "--api-base", "127.0.0.1:8642/")
    assert_clean_error(login, 2, "Use --api-base http://127.0.0.1:8642.")


def test_revoked_key_exits_4(cli: CliFn, platform: RunningPlatform) -> None:
    with platform.client() as http:
        created = http.post(
            f"/api/v1/teams/{platform.team_id}/keys", json={"name": "soon revoked"}
        ).json()["data"]
        http.delete(f"/api/v1/teams/{platform.team_id}/keys/{created['id']}")
    run = cli("--api-base", platform.api_base, "--api-key", created["secret"], "tickets", "list")
    assert_clean_error(run, 4, "Request id: req_", "Check --api-key")  # not the profile's key
    assert created["secret"] not in run.output


def test_publishable_key_write_exits_4(cli: CliFn, platform: RunningPlatform) -> None:
    run = cli(
        "tickets", "create", "--title", "x",
        "--api-base", platform.api_base, "--api-key", platform.publishable_key,
    )  # fmt: skip
    assert_clean_error(run, 4, "Publishable keys are read-only", "secret key")


def test_not_found_exits_1_with_request_id(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("tickets", "get", "tkt_" + "0" * 32)
    assert_clean_error(run, 1, "No ticket with id", "Request id: req_", "cstar tickets list")


def test_idempotency_conflict_409(cli: CliFn, logged_in: RunningPlatform) -> None:
    first = cli("post", "/tickets", "-d", "title=first", "--idempotency-key", "conflict-key-1")
    assert first.exit_code == 0, first.output
    replay = cli("post", "/tickets", "-d", "title=first", "--idempotency-key", "conflict-key-1")
    assert replay.exit_code == 0 and replay.json()["id"] == first.json()["id"]
    run = cli("post", "/tickets", "-d", "title=second", "--idempotency-key", "conflict-key-1")
    assert_clean_error(run, 1, "Idempotency-Key", "Request id: req_")


def test_429_is_retried_after_retry_after_then_succeeds(cli: CliFn) -> None:
    clock = FakeClock(time.time())
    settings = PlatformSettings(
        db_path=":memory:",
        rate_limits={"secret": 2, "publishable": 2},
        rate_limit_window=30,
        clock=clock,
    )
    sleeps = Sleeps(on_sleep=clock.advance)
    with PlatformThread(settings) as server:
        base = login_options(server)
        assert cli(*base, "tickets", "list", seams=Seams(sleep=sleeps)).exit_code == 0
        run = cli(*base, "tickets", "list", "--json", seams=Seams(sleep=sleeps))
    assert run.exit_code == 0, run.output
    assert run.json() == []
    assert len(sleeps.calls) == 1 and 1 <= sleeps.calls[0] <= 30


def test_429_beyond_the_cap_is_reported_with_retry_after(cli: CliFn) -> None:
    settings = PlatformSettings(db_path=":memory:", rate_limits={"secret": 1, "publishable": 1})
    with PlatformThread(settings) as server:
        base = login_options(server)
        cli(*base, "status")
        run = cli(*base, "status")
    assert_clean_error(run, 1, "Rate limit", "Try again in")


def test_500_is_retried_then_reported_with_request_id(cli: CliFn, sleeps: Sleeps) -> None:
    calls: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ok = whoami_ok(request)
        if ok is not None:
            return ok
        calls.append(request.headers.get("idempotency-key"))
        body = error_body(500, "api_error", "internal_error", "Something broke.", "req_boom500")
        return httpx.Response(502 if len(calls) == 1 else 500, json=body)

    seams = Seams(transport=httpx.MockTransport(handler))
    run = cli("--api-key", GOOD_SHAPE_KEY, "tickets", "create", "--title", "x", seams=seams)
    assert_clean_error(run, 1, "Something broke.", "Request id: req_boom500")
    # 502 is retried; 500 is not (the platform reported a real failure).
    assert len(calls) == 2
    assert calls[0] is not None and len(set(calls)) == 1  # one Idempotency-Key across retries


def test_503_from_a_proxy_is_retried_until_success(cli: CliFn, sleeps: Sleeps) -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ok = whoami_ok(request)
        if ok is not None:
            return ok
        attempts.append(1)
        if len(attempts) < 3:
            return httpx.Response(503, text="<html>Service Unavailable</html>")
        page = {"page": 1, "pageSize": 20, "total": 0, "totalPages": 0, "hasMore": False}
        return httpx.Response(200, json={"success": True, "data": [], "pagination": page})

    seams = Seams(transport=httpx.MockTransport(handler))
    run = cli("--api-key", GOOD_SHAPE_KEY, "tickets", "list", "--json", seams=seams)
    assert run.exit_code == 0, run.output
    assert run.json() == [] and len(attempts) == 3 and len(sleeps.calls) == 2


def test_non_json_response_body(cli: CliFn) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, text="<html>captive portal</html>", headers={"x-cstar-request-id": "req_html"}
        )

    seams = Seams(transport=httpx.MockTransport(handler))
    run = cli("--api-key", GOOD_SHAPE_KEY, "status", seams=seams)
    assert_clean_error(run, 1, "not JSON", "captive portal", "proxy")


def test_corrupt_config_names_file_and_line(cli: CliFn, isolate: Path) -> None:
    config = isolate / "config.toml"
    config.write_text('[default]\napi_base = "http://x"\nteam_id = \n')
    run = cli("status")
    assert_clean_error(run, 1, str(config), "line 3", "not valid TOML")


def test_hand_edited_config_with_wrong_type(cli: CliFn, isolate: Path) -> None:
    config = isolate / "config.toml"
    config.write_text("[default]\napi_base = 8642\n")
    run = cli("config", "list")
    assert_clean_error(run, 1, f"{config}, line 2", "must be a string")


def test_unwritable_cstar_home(
    cli: CliFn, platform: RunningPlatform, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CSTAR_HOME", str(blocker / "cstar"))
    run = cli("login", "--api-base", platform.api_base, "--api-key", platform.secret_key)
    assert_clean_error(run, 1, "Cannot create", "CSTAR_HOME")


def test_config_file_that_cannot_be_written(
    cli: CliFn, platform: RunningPlatform, isolate: Path
) -> None:
    # A directory where config.toml should be: fails for root too, unlike a chmod.
    (isolate / "config.toml").mkdir()
    run = cli("login", "--api-base", platform.api_base, "--api-key", platform.secret_key)
    assert run.exit_code == 1
    assert "config.toml" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


class _Backend:
    """A keyring backend that claims to be usable and then misbehaves."""

    priority = 10

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.release = threading.Event()

    def _misbehave(self) -> None:
        if self.mode == "raise":
            raise RuntimeError("the secret service is locked")
        self.release.wait(10)

    def get_password(self, service: str, username: str) -> str | None:
        self._misbehave()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._misbehave()

    def delete_password(self, service: str, username: str) -> None:
        self._misbehave()


@pytest.mark.parametrize("mode", ["raise", "hang"])
def test_broken_keyring_falls_back_to_the_file(
    cli: CliFn,
    platform: RunningPlatform,
    monkeypatch: pytest.MonkeyPatch,
    isolate: Path,
    mode: str,
) -> None:
    import keyring

    backend = _Backend(mode)
    monkeypatch.delenv("CSTAR_NO_KEYRING")
    monkeypatch.setenv("CSTAR_KEYRING_TIMEOUT", "0.2")
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    try:  # the keyring stays blocked until after both commands: they must not wait for it
        run = cli("login", "--api-base", platform.api_base, "--api-key", platform.secret_key)
        status = cli("status", "--json")
    finally:
        backend.release.set()
    assert run.exit_code == 0, run.output
    assert "credentials.json" in run.stderr and "Warning" in run.stderr
    assert status.exit_code == 0, status.output
    assert status.json()["keySource"].endswith("credentials.json")
    assert json.loads((isolate / "credentials.json").read_text())["profiles"]["default"]


def test_ctrl_c_during_a_request_exits_130(cli: CliFn) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    seams = Seams(transport=httpx.MockTransport(handler))
    run = cli("--api-key", GOOD_SHAPE_KEY, "status", seams=seams)
    assert_clean_error(run, 130, "Interrupted")


@pytest.mark.parametrize(
    ("pair", "reason"),
    [("notakeyvalue", "expected key=value"), ("=x", "field name"), ("n:={bad", "not JSON")],
)
def test_invalid_data_syntax(
    cli: CliFn, logged_in: RunningPlatform, pair: str, reason: str
) -> None:
    run = cli("tickets", "create", "-d", pair)
    assert_clean_error(run, 2, "Invalid -d value", reason)


def test_page_size_over_100(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("tickets", "list", "--page-size", "500")
    assert_clean_error(run, 2, "--page-size", "100")


def test_login_without_key_and_without_terminal(cli: CliFn) -> None:
    run = cli("login", "--api-base", "http://127.0.0.1:9")
    assert_clean_error(run, 2, "stdin is not a terminal", "--api-key")


def test_missing_required_field_points_at_the_option(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    run = cli("customers", "create", "--name", "No Email")
    assert_clean_error(run, 1, "email", "--email")


def test_json_mode_error_leaves_stdout_empty(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("tickets", "get", "tkt_" + "1" * 32, "--json")
    assert run.exit_code == 1 and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["type"] == "not_found_error" and error["code"] == "resource_missing"
    assert error["requestId"].startswith("req_") and error["message"]


def test_delete_without_yes_off_a_terminal(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("customers", "delete", "cus_" + "2" * 32)
    assert_clean_error(run, 2, "not a terminal", "--yes")


def test_config_set_unknown_and_read_only_settings(cli: CliFn) -> None:
    assert_clean_error(cli("config", "set", "colour", "never"), 2, "Unknown setting", "color")
    assert_clean_error(cli("config", "set", "team_id", "x"), 2, "set by `cstar login`")


def test_bad_color_value(cli: CliFn) -> None:
    run = cli("--color", "purple", "config", "list")
    assert run.exit_code == 2 and "Traceback" not in run.output


def test_parser_usage_errors_are_json_with_json(tmp_path: Path) -> None:
    """Errors found by the argument parser follow the --json contract too (cli.md)."""
    result = run_cstar("tickets", "list", "--page-size", "500", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["type"] == "usage_error"
    assert "--page-size" in error["message"]
    assert error["requestId"] is None
