"""The ``/webhooks`` and ``/events`` endpoints (D10, D12) on top of :class:`CstarClient`.

Example::

    from cstar_cli.api import CstarClient
    from cstar_cli.trigger.api import EventsAPI, WebhooksAPI

    with CstarClient("sk_test_…", api_base="http://127.0.0.1:8642") as cstar:
        hook = WebhooksAPI(cstar).create({"url": "https://example.com/hooks", "events": ["*"]})
        fired = WebhooksAPI(cstar).trigger_test("ticket.created")
        event = EventsAPI(cstar).get(fired["eventId"])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cstar_cli.api._core import Page, to_page
from cstar_cli.api.client import Resource

if TYPE_CHECKING:
    from cstar_cli.api.client import CstarClient


class WebhooksAPI(Resource):
    """Webhook endpoints: CRUD and paging, plus test, rotate-secret, deliveries, trigger-test."""

    def __init__(self, client: CstarClient) -> None:
        super().__init__(client, "webhooks")

    def test(self, webhook_id: str, event: str | None = None) -> dict[str, Any]:
        """Send one sample event to this endpoint now; ``{deliveryId, success, status, …}``."""
        body = {"event": event} if event else {}
        data: dict[str, Any] = self._client.request(
            "POST", self._path(webhook_id, "test"), json=body
        ).data
        return data

    def rotate_secret(self, webhook_id: str) -> dict[str, Any]:
        """Replace the signing secret; the answer carries the new ``secret`` (once)."""
        data: dict[str, Any] = self._client.request(
            "POST", self._path(webhook_id, "rotate-secret")
        ).data
        return data

    def deliveries(self, webhook_id: str, params: Mapping[str, Any] | None = None) -> Page:
        """One page of delivery attempts to this endpoint, newest first."""
        return to_page(
            self._client.request("GET", self._path(webhook_id, "deliveries"), params=params)
        )

    def trigger_test(self, event: str, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Fire a synthetic event at every matching webhook and listen session."""
        body: dict[str, Any] = {"event": event}
        if data is not None:
            body["data"] = dict(data)
        result: dict[str, Any] = self._client.request(
            "POST", self._path("trigger-test"), json=body
        ).data
        return result


class EventsAPI(Resource):
    """Events as delivered (snake_case payloads), newest first; resend to endpoints."""

    def __init__(self, client: CstarClient) -> None:
        super().__init__(client, "events")

    def resend(
        self, event_id: str, *, webhook_id: str | None = None, session_id: str | None = None
    ) -> dict[str, Any]:
        """Deliver an event again: to one webhook, one listen session, or every match."""
        body: dict[str, Any] = {}
        if webhook_id:
            body["webhookId"] = webhook_id
        if session_id:
            body["sessionId"] = session_id
        data: dict[str, Any] = self._client.request(
            "POST", self._path(event_id, "resend"), json=body
        ).data
        return data
