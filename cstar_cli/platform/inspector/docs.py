"""``/docs``: the API reference (Swagger UI), served from the package so it works offline.

Swagger UI's files are vendored in ``static/swagger-ui/`` from the official ``swagger-ui-dist``
package (Apache-2.0, its LICENSE and NOTICE beside them; version in that folder's README). The
page loads nothing from another origin: no CDN, no online validator badge, no remote favicon.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform.inspector.web import render

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def docs(request: Request) -> Response:
    return render(request, "docs.html", {"openapi_url": "/openapi.json"})
