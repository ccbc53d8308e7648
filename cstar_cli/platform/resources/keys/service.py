"""API keys (D9, D27, D28): only secret keys manage keys; a test key manages test keys only.
A key is shown whole once, when it is minted; revoking or rolling one ends the streams it
opened (at once, or when its grace period ends). Keys are bounded (D5): at most
:data:`MAX_ACTIVE_KEYS` working keys per environment, and :data:`MAX_KEYS_PER_MINUTE` minted a
minute per team."""

from __future__ import annotations

import math
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.auth import hash_key, mint_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.keys.models import ApiKeyCreate, ApiKeyRoll
from cstar_cli.platform.resources.service import Service, columns, deleted
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.wire.keys import redact
from cstar_cli.wire.times import iso, parse_iso

MAX_ACTIVE_KEYS = 100
"""Working keys (neither revoked nor expired) one team may hold per environment (D5)."""
MAX_KEYS_PER_MINUTE = 60
"""Keys one team may mint (create or roll) in any 60 seconds (D5)."""
MINUTE = 60.0


def serialize(row: Row, secret: str | None = None) -> dict[str, Any]:
    """A stored key on the wire, redacted (with the key itself the one time it is shown)."""
    key: dict[str, Any] = {
        "id": ids.KEY + row["id"],
        "object": "api_key",
        **columns(row, "name", "type"),
        "environment": "live" if row["livemode"] else "test",
        "redacted": f"{row['prefix']}…{row['last4']}",
        **columns(row, "last4", "created_at", "last_used_at", "expires_at", "revoked_at"),
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


class Keys(Service):
    """The API keys of the caller's team: a live key sees both environments', a test key only
    test keys. A key lives on its own environment's clock (D37): a test key's stamps and grace
    period follow the team's test clock, a live key's real time."""

    table = "api_keys"
    prefix = ids.KEY
    param = "keyId"
    noun = "API key"
    sort_fields = sortable("created_at", "name")

    def key_now(self, livemode: bool | int) -> float:
        """The time of the caller's team in a key's environment."""
        return self.platform.now(self.principal.team_id, bool(livemode))

    def visible_environments(self) -> tuple[int, ...]:
        return (0, 1) if self.principal.livemode else (0,)

    def load(self, value: str) -> Row:
        hex_id = ids.parse(value, self.prefix, self.param)
        row = self.db.one(
            "SELECT * FROM api_keys WHERE id = ? AND team_id = ?",
            (hex_id, self.principal.team_id),
        )
        if row is None or row["livemode"] not in self.visible_environments():
            raise ApiError.not_found(self.noun, value)
        return row

    def list(self, paging: Paging) -> Page:
        visible = self.visible_environments()
        where = self.where()
        where.clauses[1] = "livemode IN (%s)" % ",".join("?" * len(visible))  # noqa: UP031
        where.params[1:2] = list(visible)
        return self.page(where, paging, serialize)

    def create(self, body: ApiKeyCreate) -> dict[str, Any]:
        """A new key; the answer shows it whole, once."""
        environment = body.environment or self.principal.environment
        if environment == "live" and not self.principal.livemode:
            raise ApiError.forbidden(
                "insufficient_permissions",
                "A test key can only manage test keys. Use a live secret key to create live keys.",
            )
        with self.transaction() as db:
            self._check_room(environment == "live")
            row, secret = insert_key(
                db,
                self.platform.vault,
                self.principal.team_id,
                body.type,
                environment,
                body.name,
                iso(self.key_now(environment == "live")),
            )
            self.audit("key.created", ids.KEY + row["id"], serialize(row))
        self.platform.keys_changed(self.principal.team_id)
        return serialize(row, secret)

    def get(self, key_id: str) -> dict[str, Any]:
        return serialize(self.load(key_id))

    def revoke(self, key_id: str) -> dict[str, Any]:
        """Revoke a key (again is a no-op); the streams it opened end now."""
        row = self.load(key_id)
        if row["revoked_at"] is None:
            with self.transaction() as db:
                revoked = {"revoked_at": iso(self.key_now(row["livemode"]))}
                db.update("api_keys", "id", row["id"], revoked)
                self.audit("key.revoked", ids.KEY + row["id"], {"revokedAt": revoked["revoked_at"]})
        self.platform.keys_changed(self.principal.team_id)
        self.platform.key_streams.revoked(ids.KEY + row["id"])
        return deleted(ids.KEY + row["id"])

    def roll(self, key_id: str, body: ApiKeyRoll | None) -> dict[str, Any]:
        """A new key replaces this one, at once or after ``expiresIn`` seconds of grace."""
        row = self.load(key_id)
        refusal = self._unrollable(row, key_id)
        if refusal is not None:
            raise ApiError.conflict(refusal, param="keyId")
        expires_in = body.expiresIn if body is not None else 0
        now = self.key_now(row["livemode"])
        environment = "live" if row["livemode"] else "test"
        with self.transaction() as db:
            # Without grace the old key stops as the new one starts; with it, both work a while.
            self._check_room(bool(row["livemode"]), adds_one=bool(expires_in))
            new_row, secret = insert_key(
                db,
                self.platform.vault,
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
            db.update("api_keys", "id", row["id"], old)
            details = {"replacedBy": ids.KEY + new_row["id"], "expiresIn": expires_in}
            self.audit("key.rolled", ids.KEY + row["id"], details)
        self.platform.keys_changed(self.principal.team_id)
        if expires_in:
            self.platform.key_streams.expire_at(ids.KEY + row["id"], now + expires_in)
        else:
            self.platform.key_streams.revoked(ids.KEY + row["id"])
        return serialize(new_row, secret)

    def _check_room(self, livemode: bool, *, adds_one: bool = True) -> None:
        """Refuse a key past the bounds (D5): 409 when the environment already holds
        :data:`MAX_ACTIVE_KEYS` working keys (``adds_one``: the new key would be one more), 429
        with ``Retry-After`` when the team minted :data:`MAX_KEYS_PER_MINUTE` in the last
        minute (unless rate limits are off, ``cstar dev --no-rate-limit``)."""
        now = self.platform.now()
        if adds_one and self.active_keys(livemode, now) >= MAX_ACTIVE_KEYS:
            environment = "live" if livemode else "test"
            raise ApiError(
                409,
                "resource_conflict",
                f"Too many active keys: this team's {environment} environment already has "
                f"{MAX_ACTIVE_KEYS}, the most allowed. Revoke keys you no longer use "
                "(`cstar keys list`, then `cstar keys revoke KEY_ID`, or DELETE /keys/{id}) "
                "and try again.",
                extra={"limit": MAX_ACTIVE_KEYS},
            )
        if not self.platform.settings.enforce_rate_limits:
            return
        recent = self.db.one(
            "SELECT COUNT(*) AS n, MIN(created_at) AS first FROM api_keys "
            "WHERE team_id = ? AND created_at > ?",
            (self.principal.team_id, iso(now - MINUTE)),
        )
        if recent is not None and recent["n"] >= MAX_KEYS_PER_MINUTE:
            retry_after = max(1, math.ceil(parse_iso(recent["first"]) + MINUTE - now))
            raise ApiError(
                429,
                "rate_limit_exceeded",
                f"Too many keys created: at most {MAX_KEYS_PER_MINUTE} a minute per team. "
                f"Try again in {retry_after} seconds.",
                extra={"retryAfter": retry_after},
                headers={"Retry-After": str(retry_after)},
            )

    def active_keys(self, livemode: bool, now: float) -> int:
        """How many of the team's keys in this environment work: neither revoked nor expired."""
        rows = self.db.all(
            "SELECT expires_at FROM api_keys "
            "WHERE team_id = ? AND livemode = ? AND revoked_at IS NULL",
            (self.principal.team_id, int(livemode)),
        )
        return sum(1 for r in rows if r["expires_at"] is None or parse_iso(r["expires_at"]) > now)

    def _unrollable(self, row: Row, key_id: str) -> str | None:
        """Why a key cannot be rolled (D28), or ``None``: a dead key never comes back."""
        if row["revoked_at"] is not None:
            return f"Key '{key_id}' is revoked and cannot be rolled."
        if row["replaced_by"] is not None or row["expires_at"] is not None:
            expires_at = row["expires_at"]
            if expires_at is not None and parse_iso(expires_at) <= self.key_now(row["livemode"]):
                return f"Key '{key_id}' has expired and cannot be rolled."
            return f"Key '{key_id}' was already rolled; roll its replacement instead."
        return None
