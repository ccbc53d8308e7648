"""``POST /api/v1/teams/{teamId}/inspector/links``: mint a one-time inspector link (D31).

Secret keys only. The link opens the inspector for the key's own team and environment:
``{"environment": "live"}`` is accepted only from a live key (a test key never shows live data).
``cstar open`` joins the token to the profile's API base; ``url`` is the same link as this
platform sees its own address.

Example::

    curl -X POST "$API/teams/$TEAM/inspector/links" -H "Authorization: Bearer $KEY"
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import bearer_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.common import platform_of, principal_of, require_secret
from cstar_cli.platform.resources.models import Input, Output
from cstar_cli.wire.times import iso

router = APIRouter(tags=["inspector"])


class InspectorLinkCreate(Input):
    environment: Annotated[Literal["test", "live"] | None, Field()] = None


class InspectorLink(Output):
    object: Literal["inspector_link"]
    token: str
    url: str
    environment: Literal["test", "live"]
    expiresAt: str


@router.post(
    "/inspector/links", status_code=201, summary="Mint a one-time link to the local inspector"
)
async def create_link(request: Request, body: InspectorLinkCreate | None = None) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    require_secret(principal)
    wanted = (body or InspectorLinkCreate()).environment
    if wanted is not None and wanted != principal.environment:
        raise ApiError.forbidden(
            "insufficient_permissions",
            f"A {principal.environment} key opens the {principal.environment} inspector only. "
            f"Use a secret key of the {wanted} environment (sk_{wanted}_…) for a {wanted} link.",
        )
    token, expires_at = platform.inspector.mint(bearer_key(request.headers.get("authorization")))
    link = {
        "object": "inspector_link",
        "token": token,
        "url": f"{str(request.base_url).rstrip('/')}/?token={token}",
        "environment": principal.environment,
        "expiresAt": iso(expires_at),
    }
    return responses.ok(request, link, status=201)
