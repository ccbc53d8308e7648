"""First-start seeding: a team, an owner and two agents, and four keys (sk/pk x test/live)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from typing import Any

from cstar_cli.platform.resources.keys.service import insert_key
from cstar_cli.platform.resources.members.service import new_member
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.wire.camel import camel_case, camel_json
from cstar_cli.wire.times import iso

SEED_MEMBERS = (
    ("Ada Lovelace", "ada@example.com", "owner"),
    ("Grace Hopper", "grace@example.com", "agent"),
    ("Alan Turing", "alan@example.com", "agent"),
)


@dataclass(frozen=True)
class SeedKeys:
    """The seed team and the only copies of its four keys."""

    team_id: str
    secret_key: str
    publishable_key: str
    live_secret_key: str
    live_publishable_key: str

    def as_json(self) -> dict[str, str]:
        """The keys file's content (and part of ``cstar dev --json``): camelCase field names."""
        return camel_json(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SeedKeys:
        """Read back what :meth:`as_json` wrote; ``KeyError`` when a key is missing."""
        return cls(**{f.name: data[camel_case(f.name)] for f in fields(cls)})


def seeded_team(db: Database) -> str | None:
    row = db.one("SELECT id FROM teams ORDER BY created_at LIMIT 1")
    return None if row is None else str(row["id"])


def seed(db: Database, vault: SecretBox, now: float, team_name: str = "Local Dev Team") -> SeedKeys:
    """Create the seed team, members and keys in one transaction."""
    stamp = iso(now)
    team_id = str(uuid.uuid4())
    with db.transaction():
        db.insert(
            "teams", {"id": team_id, "name": team_name, "slug": "local-dev", "created_at": stamp}
        )
        for livemode in (False, True):
            for position in range(1, len(SEED_MEMBERS) + 1):
                db.insert("members", seed_member(team_id, livemode, position, stamp))
        return mint_seed_keys(db, vault, team_id, stamp)


def seed_member(team_id: str, livemode: bool, position: int, stamp: str) -> Row:
    """The row of seed member ``position`` (1 is the owner), marked as a seed row (a reset of
    the test environment keeps it, D33)."""
    name, email, role = SEED_MEMBERS[position - 1]
    return {**new_member(team_id, livemode, name, email, role, stamp, None), "seed": position}


def mint_seed_keys(
    db: Database, vault: SecretBox, team_id: str, stamp: str, note: str = ""
) -> SeedKeys:
    """Create the team's four seed keys (secret and publishable, test and live); call inside a
    transaction. ``note`` is added to each key's name (``re-issued``). They are marked as the
    seed keys (a reset keeps them, D33); keys seeded before are not any more."""
    made: dict[tuple[str, str], str] = {}
    suffix = f", {note}" if note else ""
    db.execute("UPDATE api_keys SET seed = 0 WHERE team_id = ? AND seed = 1", (team_id,))
    for environment in ("test", "live"):
        for key_type in ("secret", "publishable"):
            label = f"Seed {key_type} key ({environment}{suffix})"
            row, secret = insert_key(db, vault, team_id, key_type, environment, label, stamp)
            db.execute("UPDATE api_keys SET seed = 1 WHERE id = ?", (row["id"],))
            made[(key_type, environment)] = secret
    return SeedKeys(
        team_id=team_id,
        secret_key=made[("secret", "test")],
        publishable_key=made[("publishable", "test")],
        live_secret_key=made[("secret", "live")],
        live_publishable_key=made[("publishable", "live")],
    )
