"""Which team and environment the calling key belongs to (``GET /auth/whoami``)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.resources.service import Service


class Whoami(Service):
    """The calling key: its team and environment."""

    table = "teams"
    noun = "team"

    def describe(self) -> dict[str, Any]:
        principal = self.principal
        team = self.db.one("SELECT name, slug FROM teams WHERE id = ?", (principal.team_id,))
        return {
            "teamId": principal.team_id,
            "teamName": team["name"] if team else "",
            "teamSlug": team["slug"] if team else "",
            "keyId": principal.key_id,
            "keyType": principal.key_type,
            "environment": principal.environment,
        }
