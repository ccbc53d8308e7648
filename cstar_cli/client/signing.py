"""Webhook signatures: sign a delivery, and verify one the way receivers should (D13, facts §4.4).

The current scheme (``X-Signature``) is Stripe-style::

    X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of f"{t}.{raw_body}">

keyed with the whole webhook secret string, ``whsec_`` prefix included. Receivers reject a
timestamp more than ``tolerance`` seconds (default 300) away from their clock, in either
direction. Two older forms carry no timestamp, so a captured delivery would verify forever;
they verify only when asked for with ``allow_legacy=True`` (D30):

- ``sha256=<hex HMAC-SHA256 of raw_body>`` (the legacy ``X-Signature``), and
- a bare ``<hex HMAC-SHA256 of raw_body>`` (the launch post's ``X-Cstar-Signature``).

Always verify the raw request bytes: parsing and re-serialising the JSON changes them. Every
comparison is constant-time (:func:`hmac.compare_digest`). Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, Final, Literal, NamedTuple

__all__ = [
    "DEFAULT_TOLERANCE",
    "InvalidPayloadError",
    "LegacySignatureError",
    "MalformedHeaderError",
    "Scheme",
    "SignatureMismatchError",
    "SignatureVerificationError",
    "TimestampOutsideToleranceError",
    "Verification",
    "construct_event",
    "legacy_signature",
    "parse_header",
    "sign_payload",
    "verify",
    "verify_signature",
]

DEFAULT_TOLERANCE: Final = 300
"""Seconds a ``t=`` timestamp may be away from the receiver's clock (the documented default)."""

Scheme = Literal["v1", "sha256", "hex"]
"""Which header form verified: ``t=,v1=``; legacy ``sha256=``; or a bare hex digest."""

_HEX_DIGITS: Final = frozenset("0123456789abcdefABCDEF")
_DIGEST_LENGTH: Final = 64  # hex characters of an HMAC-SHA256
_MAX_TIMESTAMP_DIGITS: Final = 15


class SignatureVerificationError(Exception):
    """A webhook signature did not verify; ``reason`` says why in a stable, machine-readable way.

    Reasons: ``malformed_header``, ``timestamp_outside_tolerance``, ``signature_mismatch``,
    ``legacy_signature_refused`` (an untimestamped form without ``allow_legacy=True``) and
    ``invalid_payload`` (the signature verified but the body is not a JSON object). Catch this
    class to reject a delivery (answer 400 or 401); the subclasses tell the reasons apart.
    """

    reason: str = "signature_verification_failed"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class MalformedHeaderError(SignatureVerificationError):
    """The signature header is missing, empty, or not in any accepted form."""

    def __init__(self, message: str) -> None:
        super().__init__("malformed_header", message)


class TimestampOutsideToleranceError(SignatureVerificationError):
    """The ``t=`` timestamp is too old (a replay?) or too far in the future (a skewed clock?)."""

    def __init__(self, message: str, *, timestamp: int, age: float, tolerance: int) -> None:
        super().__init__("timestamp_outside_tolerance", message)
        self.timestamp = timestamp
        self.age = age
        """Seconds between ``t`` and now; negative when ``t`` lies in the future."""
        self.tolerance = tolerance


class LegacySignatureError(SignatureVerificationError):
    """An untimestamped legacy signature, and the caller did not pass ``allow_legacy=True``."""

    def __init__(self, scheme: Scheme) -> None:
        form = "sha256=" if scheme == "sha256" else "bare hex (X-Cstar-Signature)"
        super().__init__(
            "legacy_signature_refused",
            f"The {form} signature carries no timestamp, so a captured delivery would verify "
            "forever (no replay protection); it is accepted only with allow_legacy=True "
            "(cstar webhooks verify --allow-legacy). Verify X-Signature (t=…,v1=…) instead.",
        )
        self.scheme = scheme


class SignatureMismatchError(SignatureVerificationError):
    """No signature in the header matches the body: a wrong secret, or the body was changed."""

    def __init__(self, message: str) -> None:
        super().__init__("signature_mismatch", message)


class InvalidPayloadError(SignatureVerificationError, ValueError):
    """The signature verified, but the body is not a JSON object, so it is not an event."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid_payload", message)


class ParsedHeader(NamedTuple):
    """A signature header taken apart (see :func:`parse_header`)."""

    scheme: Scheme
    timestamp: int | None
    signatures: tuple[str, ...]
    """Lowercase hex digests; several ``v1`` entries are allowed (e.g. during secret rotation)."""


class Verification(NamedTuple):
    """What :func:`verify` established about a signature that verified."""

    scheme: Scheme
    timestamp: int | None
    """The signed ``t=`` (unix seconds); ``None`` for the legacy forms, which carry none."""
    age: float | None
    """Seconds from ``t`` to the verifier's clock (negative: in the future); ``None`` if no t."""


def _as_bytes(raw_body: bytes | str) -> bytes:
    return raw_body.encode("utf-8") if isinstance(raw_body, str) else bytes(raw_body)


def _check_secret(secret: str) -> bytes:
    if not isinstance(secret, str) or not secret:
        raise ValueError("The webhook secret must be a non-empty string (whsec_…).")
    return secret.encode("utf-8")


def _hmac_hex(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign_payload(raw_body: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """The ``X-Signature`` header value for ``raw_body``: ``t=<unix>,v1=<hex>``.

    ``v1`` is the hex HMAC-SHA256, keyed with the whole ``secret`` (``whsec_`` included), of
    ``f"{t}.{raw_body}"``. ``timestamp`` defaults to the current unix time.

    >>> sign_payload(b'{"id":"evt_1"}', "whsec_test", timestamp=1700000000)[:15]
    't=1700000000,v1'
    """
    key = _check_secret(secret)
    t = int(time.time()) if timestamp is None else int(timestamp)
    digest = _hmac_hex(key, f"{t}.".encode("ascii") + _as_bytes(raw_body))
    return f"t={t},v1={digest}"


def legacy_signature(raw_body: bytes | str, secret: str) -> str:
    """Hex HMAC-SHA256 of the raw body: the launch post's ``X-Cstar-Signature`` value.

    The legacy ``X-Signature`` form is the same digest written ``sha256=<hex>``.
    """
    return _hmac_hex(_check_secret(secret), _as_bytes(raw_body))


def _hex_digest(value: str, what: str) -> str:
    if len(value) != _DIGEST_LENGTH or not set(value) <= _HEX_DIGITS:
        shown = value if len(value) <= 20 else value[:17] + "..."
        raise MalformedHeaderError(
            f"{what} must be {_DIGEST_LENGTH} hex characters (a hex HMAC-SHA256), got {shown!r}."
        )
    return value.lower()


def parse_header(header: str | bytes | None) -> ParsedHeader:
    """Take a signature header apart, without checking any signature.

    Accepted forms: ``t=<unix>,v1=<hex>[,v1=<hex>…]`` (pieces split on ``,``, each at its first
    ``=``, trimmed; other keys are ignored for forward compatibility), ``sha256=<hex>``, and a
    bare ``<hex>``. Raises :class:`MalformedHeaderError` for anything else.
    """
    if header is None:
        raise MalformedHeaderError("The signature header is missing.")
    text = (header.decode("latin-1") if isinstance(header, bytes) else header).strip()
    if not text:
        raise MalformedHeaderError("The signature header is empty.")
    if "=" not in text and "," not in text:
        return ParsedHeader("hex", None, (_hex_digest(text, "A bare signature"),))

    timestamps: list[str] = []
    v1: list[str] = []
    sha256: list[str] = []
    for piece in text.split(","):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise MalformedHeaderError(
                f"Each part of the signature header must be key=value; {piece.strip()!r} is not."
            )
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            v1.append(_hex_digest(value, "v1"))
        elif key == "sha256":
            sha256.append(_hex_digest(value, "sha256"))

    if sha256 and (v1 or timestamps):
        raise MalformedHeaderError(
            "The signature header mixes the t=,v1= form with the legacy sha256= form; send one."
        )
    if sha256:
        if len(sha256) > 1:
            raise MalformedHeaderError("The legacy form carries exactly one sha256= value.")
        return ParsedHeader("sha256", None, (sha256[0],))
    if not timestamps:
        raise MalformedHeaderError(
            "The signature header has no t= timestamp (expected t=<unix seconds>,v1=<hex>)."
        )
    if len(timestamps) > 1:
        raise MalformedHeaderError("The signature header has more than one t= timestamp.")
    raw_t = timestamps[0]
    if not (raw_t.isascii() and raw_t.isdigit()) or len(raw_t) > _MAX_TIMESTAMP_DIGITS:
        raise MalformedHeaderError(f"t= must be unix seconds (an integer), got {raw_t[:20]!r}.")
    if not v1:
        raise MalformedHeaderError(
            "The signature header has no v1= signature (expected t=<unix seconds>,v1=<hex>)."
        )
    return ParsedHeader("v1", int(raw_t), tuple(v1))


def _any_matches(expected: str, candidates: tuple[str, ...]) -> bool:
    matched = False
    for candidate in candidates:  # no early exit: the same work whichever entry matches
        matched |= hmac.compare_digest(expected, candidate)
    return matched


def verify(
    raw_body: bytes | str,
    header: str | bytes | None,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
    *,
    allow_legacy: bool = False,
) -> Verification:
    """Check a signature header against the raw body; return which form verified.

    ``tolerance`` is in seconds and applies to ``t=`` headers only, in both directions;
    ``0`` turns the age check off (useful to re-check a captured delivery). The untimestamped
    legacy forms verify only with ``allow_legacy=True``. Raises :class:`MalformedHeaderError`,
    :class:`LegacySignatureError`, :class:`TimestampOutsideToleranceError` or
    :class:`SignatureMismatchError`; ``ValueError`` for an empty secret or a negative tolerance.
    """
    key = _check_secret(secret)
    if tolerance < 0:
        raise ValueError("tolerance must be 0 (no age check) or a positive number of seconds.")
    body = _as_bytes(raw_body)
    parsed = parse_header(header)
    if parsed.timestamp is None and not allow_legacy:
        raise LegacySignatureError(parsed.scheme)
    if parsed.timestamp is None:
        if not _any_matches(_hmac_hex(key, body), parsed.signatures):
            form = "sha256=" if parsed.scheme == "sha256" else "bare hex"
            raise SignatureMismatchError(
                f"The {form} signature does not match the body: wrong secret, or the body was "
                "changed after signing."
            )
        return Verification(parsed.scheme, None, None)

    t = parsed.timestamp
    clock = time.time() if now is None else now
    age = clock - t
    if tolerance and abs(age) > tolerance:
        if age > 0:
            message = (
                f"The signature timestamp is {age:.0f} s old, more than the {tolerance} s "
                "tolerance (a replayed or long-delayed delivery?)."
            )
        else:
            message = (
                f"The signature timestamp is {-age:.0f} s in the future, more than the "
                f"{tolerance} s tolerance (is a clock wrong?)."
            )
        raise TimestampOutsideToleranceError(message, timestamp=t, age=age, tolerance=tolerance)
    expected = _hmac_hex(key, f"{t}.".encode("ascii") + body)
    if not _any_matches(expected, parsed.signatures):
        raise SignatureMismatchError(
            "No v1 signature matches the body: wrong secret, or the body was changed after "
            "signing (re-serialised JSON, a different encoding, added or removed whitespace)."
        )
    return Verification("v1", t, age)


def construct_event(
    raw_body: bytes | str,
    header: str | bytes | None,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
    *,
    allow_legacy: bool = False,
) -> dict[str, Any]:
    """Verify a delivery, then return its parsed JSON event.

    Pass the ``X-Signature`` header (``t=…,v1=…``); the legacy untimestamped forms are refused
    unless ``allow_legacy=True``. Raises a :class:`SignatureVerificationError` subclass saying
    why it failed; for a body that verified but is not a JSON object,
    :class:`InvalidPayloadError`. Answer 400/401 on those.
    """
    verify(raw_body, header, secret, tolerance, now, allow_legacy=allow_legacy)
    try:
        event = json.loads(_as_bytes(raw_body))
    except (UnicodeDecodeError, ValueError) as err:
        raise InvalidPayloadError(
            f"The signature verified but the body is not JSON: {err}"
        ) from err
    if not isinstance(event, dict):
        raise InvalidPayloadError("The signature verified but the body is not a JSON object.")
    return event


def verify_signature(
    raw_body: bytes | str,
    header: str | bytes | None,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
    *,
    allow_legacy: bool = False,
) -> bool:
    """True when the header verifies the body (legacy forms only with ``allow_legacy``)."""
    try:
        verify(raw_body, header, secret, tolerance, now, allow_legacy=allow_legacy)
    except Exception:  # any bad input (wrong types included) just means "not verified"
        return False
    return True
