"""cstar_cli.client.signing: the X-Signature scheme, the two legacy forms, every failure reason."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Any

import pytest

from cstar_cli.client.signing import (
    InvalidPayloadError,
    LegacySignatureError,
    MalformedHeaderError,
    SignatureMismatchError,
    SignatureVerificationError,
    TimestampOutsideToleranceError,
    construct_event,
    legacy_signature,
    sign_payload,
    verify,
    verify_signature,
)

SECRET = "whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
T = 1_767_225_600
BODY = b'{"id":"evt_ticket_created_1767225600000_a1B2c3D4","type":"ticket.created","data":{}}'


def reference_hex(key: str, message: bytes) -> str:
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def test_sign_payload_matches_the_documented_construction() -> None:
    header = sign_payload(BODY, SECRET, timestamp=T)

    assert header == f"t={T},v1={reference_hex(SECRET, f'{T}.'.encode() + BODY)}"
    # The key is the whole secret, whsec_ included.
    assert reference_hex(SECRET.removeprefix("whsec_"), f"{T}.".encode() + BODY) not in header


def test_sign_payload_defaults_to_the_current_time() -> None:
    header = sign_payload(BODY, SECRET)

    match = re.fullmatch(r"t=(\d+),v1=[0-9a-f]{64}", header)
    assert match is not None
    assert abs(int(match.group(1)) - time.time()) < 5


def test_legacy_signature_is_the_hex_hmac_of_the_raw_body() -> None:
    assert legacy_signature(BODY, SECRET) == reference_hex(SECRET, BODY)


def test_text_and_bytes_bodies_sign_the_same_utf8_bytes() -> None:
    text = '{"title":"Grüße ✓ 日本語"}'
    assert sign_payload(text.encode(), SECRET, T) == sign_payload(text, SECRET, T)
    assert legacy_signature(text.encode(), SECRET) == legacy_signature(text, SECRET)


def test_signing_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        sign_payload(BODY, "", T)


def test_round_trip_returns_the_parsed_event() -> None:
    header = sign_payload(BODY, SECRET, T)

    assert construct_event(BODY, header, SECRET, now=T + 10) == json.loads(BODY)
    assert construct_event(BODY.decode(), header, SECRET, now=T + 10) == json.loads(BODY)
    assert verify_signature(BODY, header, SECRET, now=T + 10) is True


def test_verify_reports_the_scheme_timestamp_and_age() -> None:
    result = verify(BODY, sign_payload(BODY, SECRET, T), SECRET, now=T + 12.5)

    assert (result.scheme, result.timestamp, result.age) == ("v1", T, 12.5)


def test_a_tampered_body_is_a_signature_mismatch() -> None:
    header = sign_payload(BODY, SECRET, T)
    tampered = BODY.replace(b"ticket.created", b"ticket.deleted")

    with pytest.raises(SignatureMismatchError) as info:
        construct_event(tampered, header, SECRET, now=T)
    assert info.value.reason == "signature_mismatch"
    assert "body was changed" in info.value.message
    assert isinstance(info.value, SignatureVerificationError)
    # One added space is enough.
    assert not verify_signature(BODY + b" ", header, SECRET, now=T)


def test_a_wrong_secret_is_a_signature_mismatch() -> None:
    header = sign_payload(BODY, SECRET, T)

    with pytest.raises(SignatureMismatchError, match="wrong secret"):
        construct_event(BODY, header, SECRET + "x", now=T)
    with pytest.raises(SignatureMismatchError):
        construct_event(BODY, header, SECRET.removeprefix("whsec_"), now=T)


def test_a_stale_timestamp_is_rejected_and_the_boundary_is_inclusive() -> None:
    header = sign_payload(BODY, SECRET, T)

    assert verify_signature(BODY, header, SECRET, now=T + 300)
    with pytest.raises(TimestampOutsideToleranceError) as info:
        construct_event(BODY, header, SECRET, now=T + 301)
    err = info.value
    assert err.reason == "timestamp_outside_tolerance"
    assert (err.timestamp, err.age, err.tolerance) == (T, 301, 300)
    assert "301 s old" in err.message


def test_a_future_timestamp_is_rejected() -> None:
    header = sign_payload(BODY, SECRET, T)

    assert verify_signature(BODY, header, SECRET, now=T - 300)
    with pytest.raises(TimestampOutsideToleranceError) as info:
        construct_event(BODY, header, SECRET, now=T - 400)
    assert info.value.age == -400
    assert "400 s in the future" in info.value.message


def test_the_tolerance_is_configurable_and_zero_turns_the_age_check_off() -> None:
    header = sign_payload(BODY, SECRET, T)

    assert not verify_signature(BODY, header, SECRET, tolerance=10, now=T + 11)
    assert verify_signature(BODY, header, SECRET, tolerance=10, now=T + 10)
    assert verify_signature(BODY, header, SECRET, tolerance=0, now=T + 10 * 365 * 86400)
    # A bad signature still fails with the age check off.
    assert not verify_signature(BODY + b"x", header, SECRET, tolerance=0, now=T)
    with pytest.raises(ValueError, match="tolerance"):
        verify(BODY, header, SECRET, tolerance=-1, now=T)


def test_the_timestamp_is_checked_before_the_signature() -> None:
    # A stale header with a wrong signature reports the age, like the documented verifier.
    header = f"t={T},v1={'0' * 64}"
    with pytest.raises(TimestampOutsideToleranceError):
        verify(BODY, header, SECRET, now=T + 1000)


def test_any_of_several_v1_signatures_may_match() -> None:
    good = sign_payload(BODY, SECRET, T).split("v1=")[1]
    other = sign_payload(BODY, "whsec_old", T).split("v1=")[1]

    assert verify_signature(BODY, f"t={T},v1={other},v1={good}", SECRET, now=T)
    assert verify_signature(BODY, f"t={T},v1={good},v1={other}", SECRET, now=T)
    with pytest.raises(SignatureMismatchError):
        verify(BODY, f"t={T},v1={other},v1={other}", SECRET, now=T)


def test_header_parsing_trims_ignores_unknown_keys_and_accepts_uppercase_hex() -> None:
    v1 = sign_payload(BODY, SECRET, T).split("v1=")[1]

    for header in (
        f" t = {T} , v1 = {v1} ",
        f"v1={v1},t={T}",
        f"t={T},v0=whatever,v1={v1},",
        f"t={T},v1={v1.upper()}",
        f"t={T},v1={v1}".encode("ascii"),  # raw header bytes, as some servers hand them over
    ):
        assert verify(BODY, header, SECRET, now=T).scheme == "v1", header


def test_a_legacy_body_hmac_in_v1_does_not_verify() -> None:
    # v1 signs "{t}.{body}"; the body-only digest must not pass for it.
    header = f"t={T},v1={legacy_signature(BODY, SECRET)}"
    with pytest.raises(SignatureMismatchError):
        verify(BODY, header, SECRET, now=T)


HEX64 = "a" * 64


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (None, "missing"),
        ("", "empty"),
        ("   ", "empty"),
        ("garbage", "64 hex"),
        (f"v1={HEX64}", "no t="),
        (f"t={T}", "no v1="),
        (f"t={T},v1=", "64 hex"),
        (f"t={T},v1=xyz", "64 hex"),
        (f"t={T},v1={HEX64[:-1]}", "64 hex"),
        (f"t={T},v1={HEX64}0", "64 hex"),
        (f"t=abc,v1={HEX64}", "unix seconds"),
        (f"t=-5,v1={HEX64}", "unix seconds"),
        (f"t=1.5,v1={HEX64}", "unix seconds"),
        (f"t=,v1={HEX64}", "unix seconds"),
        (f"t={T},t={T + 1},v1={HEX64}", "more than one t="),
        (f"t={T};v1={HEX64}", "unix seconds"),
        (f"t {T}, v1 {HEX64}", "key=value"),
        (f"={T},v1={HEX64}", "key=value"),
        ("sha256=zz", "64 hex"),
        (f"sha256={HEX64},sha256={HEX64}", "exactly one"),
        (f"t={T},v1={HEX64},sha256={HEX64}", "mixes"),
        ("Bearer abc", "64 hex"),
        (f"t={'9' * 30},v1={HEX64}", "unix seconds"),
    ],
)
def test_malformed_headers_say_what_is_wrong(header: str | None, fragment: str) -> None:
    with pytest.raises(MalformedHeaderError) as info:
        verify(BODY, header, SECRET, now=T)
    assert info.value.reason == "malformed_header"
    assert fragment in info.value.message
    assert verify_signature(BODY, header, SECRET, now=T) is False


@pytest.mark.parametrize(
    ("header", "form"),
    [(f"sha256={legacy_signature(BODY, SECRET)}", "sha256="), (legacy_signature(BODY, SECRET), "")],
    ids=["sha256", "bare-hex"],
)
def test_untimestamped_legacy_forms_are_refused_unless_asked_for(header: str, form: str) -> None:
    # D30: a captured legacy delivery would verify forever, so it is refused by default.
    with pytest.raises(LegacySignatureError) as info:
        verify(BODY, header, SECRET, now=T)
    assert info.value.reason == "legacy_signature_refused"
    assert form in info.value.message and "allow_legacy=True" in info.value.message
    assert "replay" in info.value.message
    with pytest.raises(LegacySignatureError):
        construct_event(BODY, header, SECRET, now=T)
    assert verify_signature(BODY, header, SECRET, now=T) is False
    assert verify_signature(BODY, header, SECRET, now=T, allow_legacy=True) is True


def test_legacy_sha256_form_verifies_without_any_age_check_when_allowed() -> None:
    header = f"sha256={legacy_signature(BODY, SECRET)}"

    result = verify(BODY, header, SECRET, now=T + 10**9, allow_legacy=True)
    assert (result.scheme, result.timestamp, result.age) == ("sha256", None, None)
    sloppy = f"  {header.upper().replace('SHA256', 'sha256')} "
    assert construct_event(BODY, sloppy, SECRET, allow_legacy=True)
    with pytest.raises(SignatureMismatchError, match="sha256="):
        verify(BODY + b"\n", header, SECRET, allow_legacy=True)
    with pytest.raises(SignatureMismatchError):
        verify(BODY, header, "whsec_other", allow_legacy=True)


def test_the_launch_posts_bare_hex_form_verifies_when_allowed() -> None:
    digest = legacy_signature(BODY, SECRET)

    assert verify(BODY, digest, SECRET, allow_legacy=True).scheme == "hex"
    assert verify(BODY, f" {digest.upper()}\n", SECRET, allow_legacy=True).scheme == "hex"
    with pytest.raises(SignatureMismatchError, match="bare hex"):
        verify(BODY.replace(b"{}", b'{"x":1}'), digest, SECRET, allow_legacy=True)
    with pytest.raises(SignatureMismatchError):
        verify(BODY, digest, "whsec_other", allow_legacy=True)


def test_every_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)  # the module signing.py calls through
    digest = legacy_signature(BODY, SECRET)
    for header in (sign_payload(BODY, SECRET, T), f"sha256={digest}", digest):
        calls.clear()
        assert verify_signature(BODY, header, SECRET, now=T, allow_legacy=True)
        assert verify_signature(BODY + b"!", header, SECRET, now=T, allow_legacy=True) is False
        assert len(calls) == 2, header


@pytest.mark.parametrize(
    ("body", "fragment"),
    [(b"not json", "not JSON"), (b"[1, 2]", "not a JSON object"), (b"\xff\xfe{}", "not JSON")],
)
def test_a_verified_body_that_is_not_a_json_object(body: bytes, fragment: str) -> None:
    header = sign_payload(body, SECRET, T)

    with pytest.raises(InvalidPayloadError, match=fragment) as info:
        construct_event(body, header, SECRET, now=T)
    assert info.value.reason == "invalid_payload"
    assert isinstance(info.value, SignatureVerificationError)
    assert isinstance(info.value, ValueError)
    assert verify_signature(body, header, SECRET, now=T)  # the signature itself is fine


@pytest.mark.parametrize(
    "args",
    [
        (BODY, None, SECRET),
        (BODY, "t=1,v1=2", SECRET),
        (BODY, sign_payload(BODY, SECRET, T), ""),
        (BODY, sign_payload(BODY, SECRET, T), None),
        (None, sign_payload(BODY, SECRET, T), SECRET),
        (BODY, 12345, SECRET),
    ],
)
def test_verify_signature_never_raises(args: tuple[Any, Any, Any]) -> None:
    body, header, secret = args
    assert verify_signature(body, header, secret, now=T) is False
    assert verify_signature(BODY, sign_payload(BODY, SECRET, T), SECRET, tolerance=-1) is False
