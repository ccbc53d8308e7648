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
from cstar_cli.platform.inspector.service import InspectorLinks
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.models import Input, Output

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
    link = InspectorLinks(common.caller_of(request)).mint(
        bearer_key(request.headers.get("authorization")),
        (body or InspectorLinkCreate()).environment,
        str(request.base_url),
    )
    return responses.ok(request, link, status=201)
