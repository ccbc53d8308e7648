"""Hints that fit their error: a taken email names who has it, a bad email is said in words, a
refused or publishable key is named with where it came from, and a path outside the team is
pointed at its /api/ form."""

from __future__ import annotations

import uuid

from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import RunningPlatform

UNKNOWN_KEY = "sk_test_" + "A" * 32  # well formed; no platform issued it


def test_a_taken_email_names_the_customer_that_has_it(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    first = cli("customers", "create", "--name", "Ada", "--email", email, "--json").json()
    again = cli("customers", "create", "--name", "Ada", "--email", email)
    assert_clean_error(again, 1, "already exists", f"It is customer {first['id']} (Ada)")
    assert f"`cstar customers get {first['id']}`" in again.stderr
    assert "Pass --email" not in again.stderr


def test_an_invalid_email_is_said_in_words(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("customers", "create", "--name", "Ada", "--email", "not-an-email")
    assert_clean_error(run, 1, "Invalid value for 'email': not an email address")
    assert "pattern" not in run.stderr and "^[" not in run.stderr
    assert "Check the value of --email" in run.stderr


def test_an_unknown_key_points_where_keys_come_from_not_at_keys_create(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    flag = cli("tickets", "list", "--api-key", UNKNOWN_KEY)
    assert_clean_error(flag, 4, "That is the key given with --api-key (sk_test_…AAAA)")
    assert "`cstar dev` prints the local platform's keys" in flag.stderr
    status = cli("status", "--api-key", UNKNOWN_KEY)
    assert_clean_error(status, 4)
    for run in (flag, status):
        assert "keys create" not in run.output, run.output  # it needs a valid key


def test_a_revoked_profile_key_says_log_in_again(cli: CliFn, platform: RunningPlatform) -> None:
    key = cli(
        "keys",
        "create",
        "--name",
        "soon revoked",
        "--json",
        "--api-key",
        platform.secret_key,
        "--api-base",
        platform.api_base,
    ).json()
    login = cli("login", "--api-base", platform.api_base, "--api-key", key["secret"])
    assert login.exit_code == 0, login.output
    revoke = cli("keys", "revoke", key["id"], "--yes", "--api-key", platform.secret_key)
    assert revoke.exit_code == 0, revoke.output
    run = cli("tickets", "list")
    assert_clean_error(run, 4, "That is the profile's key", "`cstar login`")
    assert "keys create" not in run.stderr


def test_a_publishable_key_passed_by_flag_is_named_as_such(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    flag = cli("keys", "list", "--api-key", logged_in.publishable_key)
    assert_clean_error(flag, 4, "The key given with --api-key is a publishable key")
    assert "This profile" not in flag.stderr
    assert "Pass a secret key instead: --api-key sk_test_…" in flag.stderr
    login = cli("login", "--api-key", logged_in.publishable_key)
    assert login.exit_code == 0, login.output
    profile = cli("keys", "list")
    assert_clean_error(profile, 4, "This profile uses a publishable key", "cstar login --api-key")


def test_a_path_outside_the_team_is_pointed_at_its_api_form(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    run = cli("get", "/auth/whoami")
    assert_clean_error(run, 1, "Unrecognized request URL", "`cstar get /api/v1/auth/whoami`")
    assert "list commands" not in run.stderr
    assert cli("get", "/api/v1/auth/whoami").exit_code == 0
