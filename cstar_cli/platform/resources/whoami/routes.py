"""``GET /api/v1/auth/whoami``: which team and environment a key belongs to."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources.common import caller_of
from cstar_cli.platform.resources.whoami.service import Whoami

router = APIRouter(tags=["auth"])


@router.get("/api/v1/auth/whoami", summary="Identify the calling key", openapi_extra=PUBLIC)
async def whoami(request: Request) -> Response:
    return responses.ok(request, Whoami(caller_of(request)).describe())
