"""keys create/list/revoke/roll and identity sign."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

from tests.support.cli import CliFn
from tests.support.platforms import RunningPlatform


def test_key_create_shows_secret_once_then_revoke(cli: CliFn, logged_in: RunningPlatform) -> None:
    run = cli("keys", "create", "--name", "CI", "--type", "publishable")
    assert run.exit_code == 0, run.output
    secret = run.stdout.strip()
    assert secret.startswith("pk_test_") and len(secret) == len("pk_test_") + 32
    assert "only time" in run.stderr

    listed = cli("keys", "list")
    assert secret not in listed.output and "pk_test_…" + secret[-4:] in listed.stdout
    keys = cli("keys", "list", "--all", "--json").json()
    assert all("secret" not in k for k in keys)
    key = next(k for k in keys if k["redacted"].endswith(secret[-4:]))

    assert cli("keys", "get", key["id"], "--json").json()["status"] == "active"
    assert cli("keys", "revoke", key["id"]).exit_code == 2  # no terminal, no --yes
    assert cli("keys", "revoke", key["id"], "--yes").exit_code == 0
    assert cli("keys", "get", key["id"], "--json").json()["status"] == "revoked"
    refused = cli("--api-key", secret, "tickets", "list")
    assert refused.exit_code == 4


def test_roll_own_key_updates_the_profile(cli: CliFn, platform: RunningPlatform) -> None:
    created = cli(
        "--api-base", platform.api_base, "--api-key", platform.secret_key,
        "keys", "create", "--name", "to roll", "--json",
    ).json()  # fmt: skip
    login = cli("login", "--api-base", platform.api_base, "--api-key", created["secret"])
    assert login.exit_code == 0
    rolled = cli("keys", "roll", created["id"], "--yes", "--json")
    assert rolled.exit_code == 0, rolled.output
    new = rolled.json()
    assert new["secret"] != created["secret"] and new["secret"].startswith("sk_test_")
    status = cli("status", "--json")
    assert status.exit_code == 0, status.output
    assert status.json()["key"].endswith(new["secret"][-4:])
    old = cli("--api-key", created["secret"], "status")
    assert old.exit_code == 4


def test_roll_with_grace_period(cli: CliFn, logged_in: RunningPlatform) -> None:
    created = cli("keys", "create", "--name", "graceful", "--json").json()
    rolled = cli("keys", "roll", created["id"], "--yes", "--expires-in", "1h", "--json").json()
    old = cli("keys", "get", created["id"], "--json").json()
    assert old["expiresAt"] and not old["revokedAt"] and rolled["id"] != created["id"]
    assert cli("--api-key", created["secret"], "status").exit_code == 0
    bad = cli("keys", "roll", created["id"], "--yes", "--expires-in", "soon")
    assert bad.exit_code == 2 and "Invalid duration" in bad.stderr


def test_identity_sign_forms(cli: CliFn, logged_in: RunningPlatform) -> None:
    key = logged_in.secret_key.encode()
    simple = cli("identity", "sign", "--email", "ada@example.com", "--json").json()
    assert simple["payload"] == '{"email":"ada@example.com"}'
    assert simple["hash"] == hmac.new(key, simple["payload"].encode(), hashlib.sha256).hexdigest()

    full = cli(
        "identity", "sign", "--email", "ada@example.com", "--external-id", "42",
        "--name", "Ada", "--timestamp", "1700000000", "--json",
    ).json()  # fmt: skip
    expected = '{"email":"ada@example.com","externalId":"42","name":"Ada","timestamp":1700000000}'
    assert full["payload"] == expected
    assert json.loads(expected) == json.loads(full["payload"])
    assert full["hash"] == hmac.new(key, expected.encode(), hashlib.sha256).hexdigest()

    now = cli("identity", "sign", "--email", "a@b.co", "--external-id", "7", "--json").json()
    assert '"timestamp":' in now["payload"]
    pk = cli("identity", "sign", "--email", "a@b.co", "--api-key", logged_in.publishable_key)
    assert pk.exit_code == 2 and "secret key" in pk.stderr


def test_what_identity_sign_prints_opens_a_customer_portal(
    cli: CliFn, logged_in: RunningPlatform
) -> None:
    email = f"portal-{uuid.uuid4().hex[:8]}@example.com"
    signed = cli("identity", "sign", "--email", email, "--json").json()
    headers = {"X-Cstar-Identity": signed["header"], "X-Cstar-Identity-Hash": signed["hash"]}
    with logged_in.client(logged_in.publishable_key) as portal:
        made = portal.post(logged_in.team_url("/tickets"), headers=headers, json={"title": "Hi"})
        assert made.status_code == 201, made.text
        mine = portal.get(logged_in.team_url("/tickets"), headers=headers).json()["data"]
    ticket = made.json()["data"]
    assert [t["id"] for t in mine] == [ticket["id"]]
    with logged_in.client() as staff:  # leave the session platform as it was
        staff.delete(logged_in.team_url(f"/tickets/{ticket['id']}"))
        staff.delete(logged_in.team_url(f"/customers/{ticket['customerId']}"))
