"""A small Starlette app with a cStar webhook handler — the example for ``cstar_cli.testing``.

``POST /webhooks/cstar`` verifies each delivery with ``construct_event`` (the raw body, the
``X-Signature`` header and the webhook's signing secret), handles each event once (deliveries
are at least once: a retry repeats the event id) and keeps the tickets it heard of;
``GET /tickets`` lists them. Run it::

    CSTAR_WEBHOOK_SECRET=whsec_… uvicorn --factory webhook_app:create_app --port 8000
"""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cstar_cli.client.signing import SignatureVerificationError, construct_event


class Store:
    """What the app knows: the tickets it heard of, and the events it already handled."""

    def __init__(self) -> None:
        self.tickets: dict[str, dict[str, Any]] = {}
        self.handled: set[str] = set()

    def handle(self, event: dict[str, Any]) -> bool:
        """Apply one event; ``False`` when it was handled before (a redelivery)."""
        if event["id"] in self.handled:
            return False
        self.handled.add(event["id"])
        ticket = event["data"].get("ticket")
        if event["type"].startswith("ticket.") and ticket is not None:
            self.tickets[ticket["id"]] = {
                "title": ticket["title"],
                "status": ticket["status"],
                "lastEvent": event["type"],
            }
        return True


async def cstar_webhook(request: Request) -> JSONResponse:
    secret = request.app.state.secret or os.environ.get("CSTAR_WEBHOOK_SECRET")
    if not secret:
        return JSONResponse({"error": "no webhook secret configured"}, status_code=500)
    try:
        event = construct_event(await request.body(), request.headers.get("X-Signature"), secret)
    except SignatureVerificationError as err:
        return JSONResponse({"error": err.reason}, status_code=400)
    first_time = request.app.state.store.handle(event)
    return JSONResponse({"received": True, "duplicate": not first_time})


async def list_tickets(request: Request) -> JSONResponse:
    return JSONResponse(request.app.state.store.tickets)


def create_app(secret: str | None = None) -> Starlette:
    """The app; ``secret`` is the webhook's signing secret (default: ``CSTAR_WEBHOOK_SECRET``)."""
    app = Starlette(
        routes=[
            Route("/webhooks/cstar", cstar_webhook, methods=["POST"]),
            Route("/tickets", list_tickets),
        ]
    )
    app.state.secret = secret
    app.state.store = Store()
    return app
