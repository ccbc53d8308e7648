"""API keys (D9): only secret keys manage keys; a test key manages test keys only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.keys.models import ApiKeyCreate, ApiKeyRoll
from cstar_cli.platform.resources.keys.service import Keys

router = APIRouter(tags=["keys"])


@router.get("/keys", summary="List API keys")
async def list_keys(
    request: Request, paging: common.Paging = Depends(common.page_params)
) -> Response:
    return responses.paged(request, Keys(common.caller_of(request)).list(paging))


@router.post("/keys", status_code=201, summary="Create an API key (the key is shown once)")
async def create_key(request: Request, body: ApiKeyCreate) -> Response:
    return responses.ok(request, Keys(common.caller_of(request)).create(body), status=201)


@router.get("/keys/{keyId}", summary="Get an API key (redacted)")
async def get_key(request: Request, keyId: str) -> Response:
    return responses.ok(request, Keys(common.caller_of(request)).get(keyId))


@router.delete("/keys/{keyId}", summary="Revoke an API key")
async def revoke_key(request: Request, keyId: str) -> Response:
    return responses.ok(request, Keys(common.caller_of(request)).revoke(keyId))


@router.post("/keys/{keyId}/roll", summary="Roll an API key: a new key replaces it")
async def roll_key(request: Request, keyId: str, body: ApiKeyRoll | None = None) -> Response:
    return responses.ok(request, Keys(common.caller_of(request)).roll(keyId, body))
