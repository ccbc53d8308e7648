"""API keys (D9): only secret keys manage keys; a test key manages test keys only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.keys.models import ApiKeyCreate, ApiKeyRoll
from cstar_cli.platform.resources.keys.service import Keys
from cstar_cli.platform.resources.table import ItemRoutes

router = APIRouter(tags=["keys"])
items = ItemRoutes(router, Keys, "/keys", "keyId")

items.list("list_keys", "List API keys")
items.create("create_key", ApiKeyCreate, "Create an API key (the key is shown once)")
items.get("get_key", "Get an API key (redacted)")
items.delete("revoke_key", "Revoke an API key", revoke=True)


@router.post("/keys/{keyId}/roll", summary="Roll an API key: a new key replaces it")
async def roll_key(request: Request, keyId: str, body: ApiKeyRoll | None = None) -> Response:
    return responses.ok(request, Keys(common.caller_of(request)).roll(keyId, body))
