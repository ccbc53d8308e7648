"""``cstar webhooks verify``: exit codes, messages and --json output for each outcome."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cstar_cli.client.signing import legacy_signature, sign_payload
from tests.support.cli import Run, run_cli

SECRET = "whsec_c2VjcmV0LWZvci10aGUtdmVyaWZ5LWNvbW1hbmQ"
BODY = '{"id":"evt_ticket_created_1767225600000_a1B2c3D4","type":"ticket.created","data":{"ticket":{"title":"Grüße"}}}'.encode()  # noqa: E501


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    path = tmp_path / "body.json"
    path.write_bytes(BODY)
    return path


@pytest.fixture(autouse=True)
def no_secret_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSTAR_WEBHOOK_SECRET", raising=False)


def now() -> int:
    return int(time.time())


def run(*args: str, stdin: bytes | None = None) -> Run:
    """``cstar webhooks verify *args`` (no login needed), as a user runs it."""
    return run_cli("webhooks", "verify", *args, input=stdin)


def json_error(out: Run) -> dict[str, Any]:
    """--json mode: stdout stays empty and stderr holds one ``{"error": …}`` object."""
    assert out.stdout == ""
    error: dict[str, Any] = json.loads(out.stderr)["error"]
    return error


def verify(payload: Path | str, signature: str, *extra: str, secret: str = SECRET) -> Run:
    return run("--secret", secret, "--signature", signature, "--payload-file", str(payload), *extra)


def test_a_good_signature_verifies(payload: Path) -> None:
    signed = now() - 42
    out = verify(payload, sign_payload(BODY, SECRET, signed))

    assert out.exit_code == 0
    assert out.stdout == ""
    at = datetime.fromtimestamp(signed).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    said = rf"Signature verified \(signed at {at}, \d+ s ago; within the 300 s tolerance\)\."
    assert re.search(said, out.stderr), out.stderr  # a time and an age, not "t=,v1="
    assert "Event: ticket.created evt_ticket_created_1767225600000_a1B2c3D4" in out.stderr


def test_json_success_is_one_object_on_stdout(payload: Path) -> None:
    t = now() - 3
    out = verify(payload, sign_payload(BODY, SECRET, t), "--json")

    assert out.exit_code == 0
    result = json.loads(out.stdout)
    assert result["verified"] is True
    assert (result["scheme"], result["timestamp"]) == ("v1", t)
    assert 0 <= result["age_seconds"] <= 10
    assert result["event_type"] == "ticket.created"
    assert out.stderr == ""


@pytest.mark.parametrize(
    ("make_header", "scheme", "text"),
    [
        (lambda: f"sha256={legacy_signature(BODY, SECRET)}", "sha256", "legacy sha256="),
        (lambda: legacy_signature(BODY, SECRET), "hex", "X-Cstar-Signature"),
    ],
)
def test_the_legacy_forms_verify_only_with_allow_legacy_and_say_why(
    payload: Path, make_header: Any, scheme: str, text: str
) -> None:
    refused = verify(payload, make_header())  # D30: refused by default
    assert refused.exit_code == 1
    assert "no timestamp" in refused.stderr and "--allow-legacy" in refused.stderr
    error = json.loads(verify(payload, make_header(), "--json").stderr)["error"]
    assert error["code"] == "legacy_signature_refused"

    out = verify(payload, make_header(), "--allow-legacy")
    assert out.exit_code == 0
    assert text in out.stderr
    assert "no replay protection" in out.stderr

    result = json.loads(verify(payload, make_header(), "--allow-legacy", "--json").stdout)
    assert (result["scheme"], result["timestamp"], result["age_seconds"]) == (scheme, None, None)


def test_the_payload_can_come_from_stdin() -> None:
    header = sign_payload(BODY, SECRET, now())
    out = run("--secret", SECRET, "--signature", header, "--payload-file", "-", stdin=BODY)
    assert out.exit_code == 0, out.stderr
    assert "Signature verified" in out.stderr

    out = run("--secret", SECRET, "--signature", header, "--payload-file", "-", stdin=BODY + b"x")
    assert out.exit_code == 1
    assert "No v1 signature matches" in out.stderr


def test_the_secret_can_come_from_the_environment(
    payload: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTAR_WEBHOOK_SECRET", SECRET)
    header = sign_payload(BODY, SECRET, now())
    out = run("--signature", header, "--payload-file", str(payload))
    assert out.exit_code == 0, out.stderr


def test_a_pasted_header_line_is_accepted(payload: Path) -> None:
    header = sign_payload(BODY, SECRET, now())
    assert verify(payload, f"X-Signature: {header}").exit_code == 0
    digest = legacy_signature(BODY, SECRET)
    assert verify(payload, f"x-cstar-signature: {digest}", "--allow-legacy").exit_code == 0


def test_a_changed_body_is_a_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "changed.json"
    path.write_bytes(BODY.replace(b"created", b"deleted", 1))

    out = verify(path, sign_payload(BODY, SECRET, now()))

    assert out.exit_code == 1
    assert "No v1 signature matches the body: wrong secret, or the body was changed" in out.stderr
    assert "byte for byte" in out.stderr  # the hint


def test_a_wrong_secret_is_a_mismatch(payload: Path) -> None:
    out = verify(payload, sign_payload(BODY, "whsec_someone_else", now()))
    assert out.exit_code == 1
    assert "wrong secret" in out.stderr
    assert "Check that --secret is this endpoint's signing secret" in out.stderr


def test_a_stale_timestamp_is_rejected_with_a_way_to_recheck(payload: Path) -> None:
    header = sign_payload(BODY, SECRET, now() - 3600)

    out = verify(payload, header)
    assert out.exit_code == 1
    assert "s old, more than the 300 s tolerance" in out.stderr
    assert "--tolerance 0" in out.stderr

    assert verify(payload, header, "--tolerance", "7200").exit_code == 0
    rechecked = verify(payload, header, "--tolerance", "0")
    assert rechecked.exit_code == 0
    assert "1 h ago; age not checked)" in rechecked.stderr


def test_a_future_timestamp_is_rejected(payload: Path) -> None:
    out = verify(payload, sign_payload(BODY, SECRET, now() + 900))
    assert out.exit_code == 1
    assert "s in the future" in out.stderr
    assert "clock" in out.stderr


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("nonsense", "64 hex"),
        ("t=123", "no v1="),
        (f"v1={'a' * 64}", "no t="),
        (f"t=yesterday,v1={'a' * 64}", "unix seconds"),
        (f"sha256={'z' * 64}", "64 hex"),
        ("   ", "empty"),
    ],
)
def test_a_malformed_header_is_explained(payload: Path, header: str, fragment: str) -> None:
    out = verify(payload, header)
    assert out.exit_code == 1
    assert fragment in out.stderr
    assert "exactly as received" in out.stderr  # the hint


@pytest.mark.parametrize(
    ("header_of", "code"),
    [
        (lambda t: "t=1,v1=2", "malformed_header"),
        (lambda t: sign_payload(BODY, SECRET, t - 1000), "timestamp_outside_tolerance"),
        (lambda t: sign_payload(BODY, "whsec_other", t), "signature_mismatch"),
    ],
)
def test_json_failures_go_to_stderr_and_leave_stdout_empty(
    payload: Path, header_of: Any, code: str
) -> None:
    out = verify(payload, header_of(now()), "--json")

    assert out.exit_code == 1
    error = json_error(out)
    assert error["type"] == "signature_verification_error"
    assert error["code"] == code
    assert error["message"]
    assert error["hint"]


def test_a_missing_payload_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    header = sign_payload(BODY, SECRET, now())

    out = verify(missing, header)
    assert out.exit_code == 2
    assert f"Payload file not found: {missing}" in out.stderr

    out = verify(missing, header, "--json")
    assert out.exit_code == 2
    assert json_error(out)["type"] == "usage_error"


def test_a_directory_or_empty_secret_is_a_usage_error(tmp_path: Path, payload: Path) -> None:
    header = sign_payload(BODY, SECRET, now())
    assert verify(tmp_path, header).exit_code == 2
    assert verify(payload, header, secret=" ").exit_code == 2


def test_missing_options_are_usage_errors(payload: Path) -> None:
    out = run("--signature", "x", "--payload-file", str(payload))
    assert out.exit_code == 2
    assert "--secret" in out.stderr
    assert run("--secret", SECRET, "--signature", "x").exit_code == 2
    assert verify(payload, "x", "--tolerance", "-1").exit_code == 2


def test_a_trailing_newline_in_the_file_is_pointed_out(tmp_path: Path) -> None:
    path = tmp_path / "saved.json"
    path.write_bytes(BODY + b"\n")

    out = verify(path, sign_payload(BODY, SECRET, now()))

    assert out.exit_code == 1
    assert "ends with a newline the signed body did not have" in out.stderr


def test_a_reformatted_json_file_is_pointed_out(tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(json.loads(BODY), indent=2, ensure_ascii=False), encoding="utf-8")

    out = verify(path, sign_payload(BODY, SECRET, now()))

    assert out.exit_code == 1
    assert "the payload file was re-formatted" in out.stderr


def test_a_secret_prefix_mixup_is_pointed_out(payload: Path) -> None:
    stripped = SECRET.removeprefix("whsec_")
    out = verify(payload, sign_payload(BODY, stripped, now()))
    assert out.exit_code == 1
    assert "minus its whsec_ prefix" in out.stderr

    out = verify(payload, sign_payload(BODY, SECRET, now()), secret=stripped)
    assert out.exit_code == 1
    assert "whsec_ prefix included" in out.stderr


def test_help_has_an_example() -> None:
    result = run_cli("webhooks", "verify", "--help")
    assert result.exit_code == 0
    assert "Example: cstar webhooks verify --secret whsec_" in result.stdout
    assert "--payload-file" in result.stdout
    assert "verify" in run_cli("webhooks", "--help").stdout
