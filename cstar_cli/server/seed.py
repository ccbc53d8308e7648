"""First-start seeding: a team, an owner and two agents, and four keys (sk/pk x test/live)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from cstar_cli.server.db import Database
from cstar_cli.server.routes.keys import insert_key
from cstar_cli.server.routes.members import new_member
from cstar_cli.server.vault import SecretBox
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
        return {
            "teamId": self.team_id,
            "secretKey": self.secret_key,
            "publishableKey": self.publishable_key,
            "liveSecretKey": self.live_secret_key,
            "livePublishableKey": self.live_publishable_key,
        }


def seeded_team(db: Database) -> str | None:
    row = db.one("SELECT id FROM teams ORDER BY created_at LIMIT 1")
    return None if row is None else str(row["id"])


def seed(db: Database, vault: SecretBox, now: float, team_name: str = "Local Dev Team") -> SeedKeys:
    """Create the seed team, members and keys in one transaction."""
    stamp = iso(now)
    team_id = str(uuid.uuid4())
    keys: dict[tuple[str, str], str] = {}
    with db.transaction():
        db.insert(
            "teams", {"id": team_id, "name": team_name, "slug": "local-dev", "created_at": stamp}
        )
        for livemode in (False, True):
            for name, email, role in SEED_MEMBERS:
                db.insert("members", new_member(team_id, livemode, name, email, role, stamp, None))
        for environment in ("test", "live"):
            for key_type in ("secret", "publishable"):
                label = f"Seed {key_type} key ({environment})"
                _, secret = insert_key(db, vault, team_id, key_type, environment, label, stamp)
                keys[(key_type, environment)] = secret
    return SeedKeys(
        team_id=team_id,
        secret_key=keys[("secret", "test")],
        publishable_key=keys[("publishable", "test")],
        live_secret_key=keys[("secret", "live")],
        live_publishable_key=keys[("publishable", "live")],
    )
