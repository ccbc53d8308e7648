"""API keys (D9): only secret keys manage keys; a test key manages test keys only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal, hash_key, mint_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.keys.models import ApiKeyCreate, ApiKeyRoll
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.wire.keys import redact
from cstar_cli.wire.times import iso, parse_iso

router = APIRouter(tags=["keys"])

SORT_FIELDS = common.sortable("created_at", "name")


def serialize(row: Row, secret: str | None = None) -> dict[str, Any]:
    key: dict[str, Any] = {
        "id": ids.KEY + row["id"],
        "object": "api_key",
        **common.columns(row, "name", "type"),
        "environment": "live" if row["livemode"] else "test",
        "redacted": f"{row['prefix']}…{row['last4']}",
        **common.columns(row, "last4", "created_at", "last_used_at", "expires_at", "revoked_at"),
    }
    if secret is not None:
        key["secret"] = secret
    return key


def insert_key(
    db: Database,
    vault: SecretBox,
    team_id: str,
    key_type: str,
    environment: str,
    name: str,
    stamp: str,
) -> tuple[Row, str]:
    """Mint and store a key; returns the row and the only copy of the key material.

    The key is found again by its hash; a secret key is also kept sealed (D27), since identity
    hashes (D18) are keyed with it.
    """
    secret = mint_key(key_type, environment)
    row: Row = {
        "id": ids.new_hex(),
        "team_id": team_id,
        "livemode": int(environment == "live"),
        "type": key_type,
        "name": name,
        "key_hash": hash_key(secret),
        "prefix": redact(secret).split("…")[0],
        "last4": secret[-4:],
        "created_at": stamp,
        "last_used_at": None,
        "expires_at": None,
        "revoked_at": None,
        "secret_sealed": vault.encrypt(secret) if key_type == "secret" else None,
        "replaced_by": None,
    }
    db.insert("api_keys", row)
    return row, secret


def _manager(request: Request) -> tuple[Platform, Principal]:
    return common.caller(request)


def _visible_environments(principal: Principal) -> tuple[int, ...]:
    return (0, 1) if principal.livemode else (0,)


def _load(platform: Platform, principal: Principal, key_id: str) -> Row:
    hex_id = ids.parse(key_id, ids.KEY, "keyId")
    row = platform.db.one(
        "SELECT * FROM api_keys WHERE id = ? AND team_id = ?", (hex_id, principal.team_id)
    )
    if row is None or row["livemode"] not in _visible_environments(principal):
        raise ApiError.not_found("API key", key_id)
    return row


@router.get("/keys", summary="List API keys")
async def list_keys(
    request: Request, paging: common.PageParams = Depends(common.page_params)
) -> Response:
    principal = common.principal_of(request)
    where = common.Where(principal)
    # A live key sees both environments' keys; a test key only test keys.
    where.clauses[1] = "livemode IN (%s)" % ",".join("?" * len(_visible_environments(principal)))  # noqa: UP031
    where.params[1:2] = list(_visible_environments(principal))
    return common.list_response(request, "api_keys", where, paging, SORT_FIELDS, serialize)


@router.post("/keys", status_code=201, summary="Create an API key (the key is shown once)")
async def create_key(request: Request, body: ApiKeyCreate) -> Response:
    platform, principal = _manager(request)
    environment = body.environment or principal.environment
    if environment == "live" and not principal.livemode:
        raise ApiError.forbidden(
            "insufficient_permissions",
            "A test key can only manage test keys. Use a live secret key to create live keys.",
        )
    with platform.db.transaction():
        row, secret = insert_key(
            platform.db,
            platform.vault,
            principal.team_id,
            body.type,
            environment,
            body.name,
            platform.now_iso(),
        )
    platform.keys_changed(principal.team_id)
    return responses.ok(request, serialize(row, secret), status=201)


@router.get("/keys/{keyId}", summary="Get an API key (redacted)")
async def get_key(request: Request, keyId: str) -> Response:
    platform, principal = _manager(request)
    return responses.ok(request, serialize(_load(platform, principal, keyId)))


@router.delete("/keys/{keyId}", summary="Revoke an API key")
async def revoke_key(request: Request, keyId: str) -> Response:
    platform, principal = _manager(request)
    row = _load(platform, principal, keyId)
    if row["revoked_at"] is None:
        with platform.db.transaction():
            platform.db.update("api_keys", "id", row["id"], {"revoked_at": platform.now_iso()})
    platform.keys_changed(principal.team_id)
    platform.key_streams.revoked(ids.KEY + row["id"])
    return common.deleted(request, ids.KEY + row["id"])


def _unrollable(platform: Platform, row: Row, key_id: str) -> str | None:
    """Why a key cannot be rolled (D28), or ``None``: a dead key never comes back."""
    if row["revoked_at"] is not None:
        return f"Key '{key_id}' is revoked and cannot be rolled."
    if row["replaced_by"] is not None or row["expires_at"] is not None:
        if row["expires_at"] is not None and parse_iso(row["expires_at"]) <= platform.now():
            return f"Key '{key_id}' has expired and cannot be rolled."
        return f"Key '{key_id}' was already rolled; roll its replacement instead."
    return None


@router.post("/keys/{keyId}/roll", summary="Roll an API key: a new key replaces it")
async def roll_key(request: Request, keyId: str, body: ApiKeyRoll | None = None) -> Response:
    platform, principal = _manager(request)
    row = _load(platform, principal, keyId)
    refusal = _unrollable(platform, row, keyId)
    if refusal is not None:
        raise ApiError.conflict(refusal, param="keyId")
    expires_in = body.expiresIn if body is not None else 0
    now = platform.now()
    environment = "live" if row["livemode"] else "test"
    with platform.db.transaction():
        new_row, secret = insert_key(
            platform.db,
            platform.vault,
            row["team_id"],
            row["type"],
            environment,
            row["name"],
            iso(now),
        )
        old: Row = {"replaced_by": new_row["id"]}
        old.update(
            {"expires_at": iso(now + expires_in)} if expires_in else {"revoked_at": iso(now)}
        )
        platform.db.update("api_keys", "id", row["id"], old)
    platform.keys_changed(principal.team_id)
    if expires_in:
        platform.key_streams.expire_at(ids.KEY + row["id"], now + expires_in)
    else:
        platform.key_streams.revoked(ids.KEY + row["id"])
    return responses.ok(request, serialize(new_row, secret))
