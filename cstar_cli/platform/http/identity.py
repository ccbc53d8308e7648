"""Customer identity verification (D18, enforced on every route).

A request may carry ``X-Cstar-Identity: <base64url of the exact signed JSON string>`` and
``X-Cstar-Identity-Hash: <hex HMAC-SHA256 of that string>`` (or the ``identity`` and
``identityHash`` query parameters, for browsers that can't set headers). The hash is keyed with
a working secret key of the same team and environment. Three payloads are accepted, each only
in its exact compact form: ``{"email":…}`` (the launch post), the sorted
``{"email":…,"externalId":…,"name":…,"timestamp":…}`` (``name`` optional; ``timestamp`` unix
seconds within 24 h), and the chat SDK page's ``JSON.stringify({id, email, name})`` — keys in
that order, ``name`` optional, no timestamp. Anything else is 401
``identity_verification_failed``; in test mode the error carries ``expectedPayload`` and signing
snippets, in live mode nothing.

The first verified identity for an email creates the customer.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from cstar_cli.client.identity import identity_hash, identity_payload
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError

if TYPE_CHECKING:
    from cstar_cli.platform.core import Platform

MAX_AGE = 24 * 3600
MAX_TIMESTAMP = 10**12
"""Unix seconds beyond this (the year 33658) are not a timestamp."""
MAX_ENCODED = 4096
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
SORTED_FIELDS = {"email", "externalId", "name", "timestamp"}
CHAT_FIELDS = {"id", "email", "name"}
EXAMPLE = '{"email":"ada@example.com"}'


@dataclass(frozen=True)
class Identity:
    """A verified customer: who a publishable key acts for (D23)."""

    customer_id: str
    email: str
    name: str


def presented(headers: dict[str, str], query_string: bytes) -> tuple[str, str | None] | None:
    """``(identity, hash)`` from the headers, else from the query; ``None`` when neither is sent."""
    encoded = headers.get("x-cstar-identity")
    digest = headers.get("x-cstar-identity-hash")
    if encoded is None and digest is None and b"identity" in query_string:
        query = parse_qs(query_string.decode("latin-1"))
        encoded = next(iter(query.get("identity", [])), None)
        digest = next(iter(query.get("identityHash", [])), None)
    if encoded is None and digest is None:
        return None
    return encoded or "", digest


def verify(platform: Platform, principal: Principal, encoded: str, digest: str | None) -> Identity:
    """Check a presented identity; the customer it names (created on first sight)."""
    payload = _decode(encoded, principal)
    fields = _fields(payload, principal)
    expected = _canonical(fields)
    if payload != expected:
        raise _failure(
            principal,
            "The identity payload is not in its exact compact form (no spaces; sorted keys for "
            "the externalId form). Sign and send expectedPayload.",
            expected,
        )
    if "timestamp" in fields:
        age = platform.now(principal.team_id, principal.livemode) - fields["timestamp"]
        if abs(age) > MAX_AGE:
            raise _failure(
                principal,
                "The identity timestamp is more than 24 hours away from now; sign a fresh one.",
                expected,
            )
    if digest is None or not _HEX.match(digest):
        raise _failure(
            principal,
            "X-Cstar-Identity-Hash must be the hex HMAC-SHA256 (64 characters) of the payload.",
            expected,
        )
    keys = platform.secret_keys(principal.team_id, principal.livemode)
    matched = False
    for key in keys:  # every key is tried: the same work whichever one matches
        matched |= hmac.compare_digest(identity_hash(key, payload), digest.lower())
    if not matched:
        raise _failure(
            principal,
            "The identity hash does not match: sign expectedPayload, byte for byte, with a "
            f"secret key (sk_{principal.environment}_…) of this team.",
            expected,
        )
    return _customer(platform, principal, fields)


def _decode(encoded: str, principal: Principal) -> str:
    if not encoded or len(encoded) > MAX_ENCODED or not _BASE64URL.match(encoded):
        raise _failure(principal, "X-Cstar-Identity must be the base64url-encoded payload.", None)
    try:
        raw = base64.urlsafe_b64decode(encoded.rstrip("=") + "=" * (-len(encoded.rstrip("=")) % 4))
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise _failure(
            principal, "X-Cstar-Identity does not decode to UTF-8 text (base64url).", None
        ) from None


def _fields(payload: str, principal: Principal) -> dict[str, Any]:
    try:
        fields = json.loads(payload)
    except (ValueError, RecursionError):
        fields = None
    if not isinstance(fields, dict) or not isinstance(fields.get("email"), str):
        raise _failure(principal, "The identity payload must be a JSON object with an email.", None)
    if not all(_is_text(value) for value in fields.values() if isinstance(value, str)):
        raise _failure(principal, "The identity payload holds text that is not Unicode.", None)
    keys = set(fields)
    if keys == {"email"}:
        return fields
    timestamp = fields.get("timestamp")
    well_typed = (
        isinstance(fields.get("externalId"), str)
        and isinstance(timestamp, int)
        and not isinstance(timestamp, bool)
        and abs(timestamp) < MAX_TIMESTAMP
        and isinstance(fields.get("name", ""), str)
    )
    if keys <= SORTED_FIELDS and well_typed:
        return fields
    if {"id", "email"} <= keys <= CHAT_FIELDS and _chat_typed(fields):
        return fields
    raise _failure(
        principal,
        'The identity payload is {"email":…}, the sorted {email, externalId (a string), '
        "name?, timestamp (unix seconds)}, or the chat SDK's {id, email, name?} in that order; "
        "nothing else is signed.",
        None,
    )


def _chat_typed(fields: dict[str, Any]) -> bool:
    """The chat SDK's form: ``id`` the developer's own user id (text or a whole number)."""
    user_id = fields["id"]
    id_ok = isinstance(user_id, str) or (
        isinstance(user_id, int) and not isinstance(user_id, bool) and abs(user_id) < MAX_TIMESTAMP
    )
    return id_ok and isinstance(fields.get("name", ""), str)


def _is_text(value: str) -> bool:
    """Whether ``value`` is real Unicode text (JSON escapes can make lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _canonical(fields: dict[str, Any]) -> str:
    if set(fields) == {"email"}:
        return identity_payload(email=fields["email"])
    if "id" in fields:  # the chat SDK's JSON.stringify({id, email, name}): that order, compact
        chat = {"id": fields["id"], "email": fields["email"]}
        if "name" in fields:
            chat["name"] = fields["name"]
        return json.dumps(chat, separators=(",", ":"), ensure_ascii=False)
    return identity_payload(
        email=fields["email"],
        external_id=fields["externalId"],
        name=fields.get("name"),
        timestamp=fields["timestamp"],
    )


def _customer(platform: Platform, principal: Principal, fields: dict[str, Any]) -> Identity:
    from cstar_cli.platform.resources.customers.service import Customers
    from cstar_cli.platform.resources.service import Caller
    from cstar_cli.platform.work import Work

    email: str = fields["email"]
    name = fields.get("name") or email.split("@")[0] or email
    caller = Caller(platform, principal, Work(platform.db, platform.outbox), request_id=None)
    row = Customers(caller).of_identity(email, name[:200])
    return Identity(customer_id=row["id"], email=row["email"], name=row["name"])


def _failure(principal: Principal, reason: str, expected: str | None) -> ApiError:
    """401 ``identity_verification_failed``: diagnostics in test mode, nothing in live mode."""
    if principal.livemode:
        return ApiError(401, "identity_verification_failed", "Identity verification failed.")
    payload = expected or EXAMPLE
    return ApiError(
        401,
        "identity_verification_failed",
        f"Identity verification failed. {reason}",
        extra={"expectedPayload": payload, "snippets": snippets(payload)},
    )


def snippets(payload: str) -> dict[str, str]:
    """How to sign ``payload`` in Python, Ruby and PHP (the key comes from the environment)."""
    quoted = "'" + payload.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return {
        "python": (
            "import hashlib, hmac, os\n"
            f"payload = {payload!r}\n"
            'digest = hmac.new(os.environ["CSTAR_SECRET_KEY"].encode(), payload.encode(), '
            "hashlib.sha256).hexdigest()"
        ),
        "ruby": (
            "require 'openssl'\n"
            f"payload = {quoted}\n"
            "digest = OpenSSL::HMAC.hexdigest('SHA256', ENV.fetch('CSTAR_SECRET_KEY'), payload)"
        ),
        "php": (
            f"$payload = {quoted};\n"
            "$digest = hash_hmac('sha256', $payload, getenv('CSTAR_SECRET_KEY'));"
        ),
    }
