"""``GET /sla/metrics`` (D45, facts §3.10): SLA performance over a window of team time."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cstar_cli.platform.http import responses
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.sla_metrics.service import SlaMetrics

router = APIRouter(tags=["sla"])


@router.get("/sla/metrics", summary="SLA metrics per priority and overall")
async def sla_metrics(
    request: Request,
    since: str | None = Query(
        None, max_length=64, description="ISO-8601 start (team time); default until - 30 days."
    ),
    until: str | None = Query(None, max_length=64, description="ISO-8601 end; default now."),
) -> Response:
    return responses.ok(request, SlaMetrics(common.caller_of(request)).metrics(since, until))
