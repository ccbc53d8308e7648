"""``GET /api/v1/auth/whoami``: which team and environment a key belongs to."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources.common import platform_of, principal_of

router = APIRouter(tags=["auth"])


@router.get("/api/v1/auth/whoami", summary="Identify the calling key", openapi_extra=PUBLIC)
async def whoami(request: Request) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    team = platform.db.one("SELECT name, slug FROM teams WHERE id = ?", (principal.team_id,))
    data = {
        "teamId": principal.team_id,
        "teamName": team["name"] if team else "",
        "teamSlug": team["slug"] if team else "",
        "keyId": principal.key_id,
        "keyType": principal.key_type,
        "environment": principal.environment,
    }
    return responses.ok(request, data)
