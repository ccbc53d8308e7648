"""Models of ``GET /auth/whoami``: requests in, answers out."""

from __future__ import annotations

from cstar_cli.platform.resources.models import Output
from cstar_cli.wire.enums import Environment, KeyType


class Whoami(Output):
    teamId: str
    teamName: str
    teamSlug: str
    keyId: str
    keyType: KeyType
    environment: Environment
