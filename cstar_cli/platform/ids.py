"""Prefixed identifiers (D2): ``prefix + 32 lowercase hex``; routes also take the bare UUID."""

from __future__ import annotations

import secrets
import string
import uuid

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.wire.ids import (
    ARTICLE,
    AUDIT_ENTRY,
    BOSS,
    CATEGORY,
    CUSTOMER,
    CUSTOMER_GROUP,
    DELIVERY,
    FAULT,
    INVITE,
    KEY,
    KNOWN_PREFIXES,
    LISTEN_SESSION,
    MEMBER,
    MESSAGE,
    REQUEST,
    TICKET,
    USER,
    WEBHOOK,
)

__all__ = [
    "ARTICLE",
    "AUDIT_ENTRY",
    "BOSS",
    "CATEGORY",
    "CUSTOMER",
    "CUSTOMER_GROUP",
    "DELIVERY",
    "FAULT",
    "INVITE",
    "KEY",
    "KNOWN_PREFIXES",
    "LISTEN_SESSION",
    "MEMBER",
    "MESSAGE",
    "REQUEST",
    "TICKET",
    "USER",
    "WEBHOOK",
    "base62",
    "new_hex",
    "parse",
    "wire",
]
_BASE62 = string.ascii_letters + string.digits


def new_hex() -> str:
    """A fresh random identifier body: a UUID4 as 32 lowercase hex digits."""
    return uuid.uuid4().hex


def wire(prefix: str, hex_id: str | None) -> str | None:
    """The public form of a stored id."""
    return None if hex_id is None else prefix + hex_id


def base62(length: int) -> str:
    return "".join(secrets.choice(_BASE62) for _ in range(length))


def parse(value: str, prefix: str, param: str) -> str:
    """Turn a prefixed id or a bare UUID into the stored 32-hex form.

    A prefixed id of another kind, or anything that is not an id, is a 400 ``parameter_invalid``.
    """
    body = value
    if value.startswith(prefix):
        body = value[len(prefix) :]
    else:
        other = next((p for p in KNOWN_PREFIXES if value.startswith(p)), None)
        if other is not None:
            raise ApiError.invalid(
                f"'{value}' is a {other.rstrip('_')} id, but {param} takes a "
                f"{prefix.rstrip('_')} id ({prefix}...) or a UUID.",
                param=param,
            )
    try:
        if len(body) not in (32, 36):
            raise ValueError(body)
        return uuid.UUID(body).hex
    except ValueError:
        raise ApiError.invalid(
            f"'{value}' is not a valid id for {param}: expected {prefix}<32 hex> or a UUID.",
            param=param,
        ) from None
