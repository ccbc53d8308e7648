"""Models of the request log (D17): one logged API request as ``GET /logs`` answers it."""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.models import Output
from cstar_cli.wire.enums import LogSource


class RequestLogError(Output):
    type: str | None
    code: str | None
    message: str | None


class RequestLogEntry(Output):
    id: str
    object: Literal["request_log"]
    seq: int
    method: str
    path: str
    status: int
    durationMs: float
    source: LogSource
    ipAddress: str | None
    key: str | None
    idempotencyKey: str | None
    error: RequestLogError | None
    livemode: bool
    createdAt: str
    fault: str | None = None
    """The fault (D38) that failed or delayed this request on purpose (``flt_…``)."""
