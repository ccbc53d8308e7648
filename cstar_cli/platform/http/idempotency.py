"""Idempotent writes (D8, D49): what is kept for an ``Idempotency-Key``, for whom, and for how
long. The gateway claims a key before the write runs, and the answer is stored for it in the
write's own transaction (see ``platform.work``); a repeat replays it byte for byte."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from cstar_cli.platform.encoding import dump
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.identity import Identity
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.vault import SecretBox

IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "DELETE"})
IDEMPOTENCY_TTL = 24 * 3600
MAX_IDEMPOTENCY_KEY = 255
REPLAYABLE = frozenset({200, 201, 404, 409})
"""Answers kept for replay: successes and final business answers. Validation failures, auth
refusals, rate limits and server errors are not kept, so a corrected retry can run."""


def check_key(key: str) -> None:
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise ApiError.invalid(
            f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} characters.",
            param="Idempotency-Key",
        )


@dataclass(frozen=True)
class Claim:
    """One request's hold on its key: who (team, environment, caller and key), and what it
    asked (method, path with query, body hash)."""

    team_id: str
    livemode: int
    key: str
    method: str
    path: str
    body_hash: str

    @classmethod
    def of(
        cls,
        principal: Principal,
        identity: Identity | None,
        key: str,
        method: str,
        path: str,
        body: bytes,
    ) -> Claim:
        """Each caller has its own keys (D49): the API key that sent it (a key-less visitor:
        ``anonymous:<address>`` on the public library) and, through a verified identity, that
        customer — so no caller can claim or probe another's keys."""
        caller = principal.key_id
        if identity is not None:
            caller += f"/{identity.customer_id}"
        return cls(
            principal.team_id,
            int(principal.livemode),
            f"{caller}/{key}",
            method,
            path,
            hashlib.sha256(body).hexdigest(),
        )

    @property
    def where(self) -> tuple[str, int, str]:
        return (self.team_id, self.livemode, self.key)


class IdempotencyKeys:
    """The ``idempotency_keys`` table of one platform; stored answers are sealed (D27)."""

    def __init__(self, db: Database, vault: SecretBox) -> None:
        self.db = db
        self.vault = vault

    def claim(self, claim: Claim, request_id: str, now: float) -> Row | None:
        """Claim the key for this request, or the row of the request that holds it (a key past
        its 24 h is forgotten first). ``now`` is the team's time: a test-mode team's keys expire
        on its test clock (D37)."""
        with self.db.transaction():
            row = self.db.one(
                "SELECT * FROM idempotency_keys WHERE team_id = ? AND livemode = ? AND key = ?",
                claim.where,
            )
            if row is not None and row["created_at"] < now - IDEMPOTENCY_TTL:
                self._forget(claim)
                row = None
            if row is None:
                self.db.insert(
                    "idempotency_keys",
                    {
                        "team_id": claim.team_id,
                        "livemode": claim.livemode,
                        "key": claim.key,
                        "method": claim.method,
                        "path": claim.path,
                        "body_hash": claim.body_hash,
                        "state": "in_progress",
                        "request_id": request_id,
                        "created_at": now,
                    },
                )
        return row

    def keep(self, claim: Claim, status: int, body: bytes) -> None:
        """Store the answer for replay, or let the key go when the answer is not kept (call
        inside the write's transaction, D49)."""
        if status not in REPLAYABLE:
            self._forget(claim)
            return
        self.db.execute(
            "UPDATE idempotency_keys SET state = 'complete', status = ?, response_body = ? "
            "WHERE team_id = ? AND livemode = ? AND key = ?",
            (status, self.vault.encrypt_bytes(body), *claim.where),
        )

    def replayed(self, row: Row) -> bytes:
        """The stored answer's body, marked as replayed."""
        body = json.loads(self.vault.decrypt_bytes(row["response_body"]))
        body.setdefault("meta", {})["idempotentReplayed"] = True
        return dump(body)

    def _forget(self, claim: Claim) -> None:
        self.db.execute(
            "DELETE FROM idempotency_keys WHERE team_id = ? AND livemode = ? AND key = ?",
            claim.where,
        )


def replay_conflict(row: Row, claim: Claim) -> ApiError | None:
    """Why the request stored under its key cannot answer this one — still running, or a
    different method, path or body — or ``None`` when its answer is replayed."""
    if row["state"] == "in_progress":
        message = (
            "A request with this Idempotency-Key is still being processed. Retry after it finishes."
        )
        return ApiError(409, "idempotency_key_in_use", message, param="Idempotency-Key")
    if (row["method"], row["path"], row["body_hash"]) != (
        claim.method,
        claim.path,
        claim.body_hash,
    ):
        message = (
            "This Idempotency-Key was already used with a different method, path or body. "
            "Use a new key for a new request."
        )
        return ApiError(409, "idempotency_key_reused", message, param="Idempotency-Key")
    return None
