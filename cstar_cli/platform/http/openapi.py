"""``/openapi.json``: FastAPI's document, completed so it describes the real behaviour.

FastAPI knows the routes and the request models; this module adds what the gateway and the
route bodies do: the success envelope of each operation, the D5 error responses (never a 422),
bearer authentication and the documented headers.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from cstar_cli.platform.game.models import (
    Achievement,
    Boss,
    LeaderboardEntry,
    PlayerStats,
    SlaRule,
    TestClock,
)
from cstar_cli.platform.http.access import ACCESS_FIELD, Access
from cstar_cli.platform.inspector.links import InspectorLink
from cstar_cli.platform.resources.library.models import (
    ArticleFeedback,
    ArticleView,
    Category,
    LibraryArticle,
)
from cstar_cli.platform.resources.models import (
    ApiKey,
    Article,
    Customer,
    Deleted,
    Envelope,
    ErrorEnvelope,
    ListEnvelope,
    Member,
    Message,
    Ticket,
    TicketWithMessages,
    Whoami,
)
from cstar_cli.platform.resources.webhooks.models import (
    Delivery,
    Event,
    EventWithDeliveries,
    ListenSession,
    ListenSessionSummary,
    RequestLogEntry,
    ResendResult,
    TriggerResult,
    Webhook,
    WebhookTestResult,
)
from cstar_cli.platform.settings import SUPPORTED_API_VERSIONS
from cstar_cli.platform.testhelpers.reset import ResetResult

T = "/api/v1/teams/{teamId}"
L = "/api/library/{teamSlugOrId}"


Answers = dict[tuple[str, str], tuple[int, type[BaseModel]]]
"""(method, path) -> (success status, envelope model)"""


def _crud(
    collection: str, id_param: str, model: Any, *, single: Any = None, update: bool = True
) -> Answers:
    """The answers of a plain resource's five operations: list, create, get, update, delete.

    ``model`` is the resource's output model; it is typed ``Any`` because the envelopes are
    parametrised with it at run time, which a type checker cannot follow. ``single`` is the
    model of a get when it shows more than ``model`` (a ticket with its messages); a resource
    with ``update=False`` has no update (an API key is rolled or revoked instead).
    """
    item = f"{collection}/{{{id_param}}}"
    shown: Any = model if single is None else single
    answers: Answers = {
        ("get", collection): (200, ListEnvelope[model]),
        ("post", collection): (201, Envelope[model]),
        ("get", item): (200, Envelope[shown]),
        ("delete", item): (200, Envelope[Deleted]),
    }
    if update:
        answers[("patch", item)] = (200, Envelope[model])
    return answers


SUCCESS: Answers = {
    ("get", "/api/v1/auth/whoami"): (200, Envelope[Whoami]),
    **_crud(f"{T}/tickets", "ticketId", Ticket, single=TicketWithMessages),
    ("get", f"{T}/tickets/{{ticketId}}/messages"): (200, Envelope[list[Message]]),
    ("post", f"{T}/tickets/{{ticketId}}/messages"): (201, Envelope[Message]),
    **_crud(f"{T}/customers", "customerId", Customer),
    **_crud(f"{T}/articles", "articleId", Article),
    **_crud(f"{T}/members", "memberId", Member),
    **_crud(f"{T}/keys", "keyId", ApiKey, update=False),
    ("post", f"{T}/keys/{{keyId}}/roll"): (200, Envelope[ApiKey]),
    **_crud(f"{T}/webhooks", "webhookId", Webhook),
    ("post", f"{T}/webhooks/trigger-test"): (200, Envelope[TriggerResult]),
    ("post", f"{T}/webhooks/listen"): (201, Envelope[ListenSession]),
    ("get", f"{T}/webhooks/listen/sessions"): (200, ListEnvelope[ListenSessionSummary]),
    ("get", f"{T}/logs"): (200, ListEnvelope[RequestLogEntry]),
    ("delete", f"{T}/webhooks/listen/{{sessionId}}"): (200, Envelope[Deleted]),
    ("post", f"{T}/webhooks/{{webhookId}}/test"): (200, Envelope[WebhookTestResult]),
    ("post", f"{T}/webhooks/{{webhookId}}/rotate-secret"): (200, Envelope[Webhook]),
    ("get", f"{T}/webhooks/{{webhookId}}/deliveries"): (200, ListEnvelope[Delivery]),
    ("get", f"{T}/events"): (200, ListEnvelope[Event]),
    ("get", f"{T}/events/{{eventId}}"): (200, Envelope[EventWithDeliveries]),
    ("post", f"{T}/events/{{eventId}}/resend"): (200, Envelope[ResendResult]),
    ("get", f"{T}/game/player"): (200, Envelope[PlayerStats]),
    ("get", f"{T}/game/leaderboard"): (200, ListEnvelope[LeaderboardEntry]),
    ("get", f"{T}/game/bosses"): (200, ListEnvelope[Boss]),
    ("get", f"{T}/game/achievements"): (200, Envelope[list[Achievement]]),
    **_crud(f"{T}/sla/rules", "ruleId", SlaRule),
    ("get", f"{T}/test-helpers/clock"): (200, Envelope[TestClock]),
    ("post", f"{T}/test-helpers/clock/advance"): (200, Envelope[TestClock]),
    ("post", f"{T}/test-helpers/clock/reset"): (200, Envelope[TestClock]),
    ("post", f"{T}/test-helpers/reset"): (200, Envelope[ResetResult]),
    ("post", f"{T}/inspector/links"): (201, Envelope[InspectorLink]),
    **_crud(f"{T}/categories", "categoryId", Category),
    ("get", f"{L}/articles"): (200, Envelope[list[LibraryArticle]]),
    ("get", f"{L}/articles/{{slug}}"): (200, Envelope[LibraryArticle]),
    ("get", f"{L}/categories"): (200, Envelope[list[Category]]),
    ("get", f"{L}/search"): (200, Envelope[list[LibraryArticle]]),
    ("post", f"{L}/articles/{{slug}}/view"): (200, Envelope[ArticleView]),
    ("post", f"{L}/articles/{{slug}}/feedback"): (201, Envelope[ArticleFeedback]),
}

# (method, path) -> media type of operations that answer with a stream, not an envelope
STREAMS: dict[tuple[str, str], str] = {("get", f"{T}/realtime"): "text/event-stream"}

ERROR_DESCRIPTIONS = {
    "400": "Invalid request (parameter_missing, parameter_invalid, invalid_json)",
    "401": "Missing, malformed, unknown, revoked or expired API key; an identity that does not "
    "verify (identity_verification_failed)",
    "403": "Key not allowed (publishable_key_write, insufficient_permissions, team_access_denied)",
    "404": "No such resource (resource_missing)",
    "409": "Conflict (resource_conflict, idempotency_key_reused, idempotency_key_in_use)",
    "413": "Body over 1 MiB (payload_too_large)",
    "429": "Rate limit exceeded (rate_limit_exceeded; see Retry-After)",
    "500": "Internal error (internal_error)",
}
WRITE_METHODS = ("post", "patch", "delete")
UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ID_PREFIXES = {
    "ticketId": "tkt_",
    "customerId": "cus_",
    "articleId": "art_",
    "memberId": "mem_",
    "keyId": "key_",
    "webhookId": "whk_",
    "sessionId": "cls_",
    "ruleId": "sla_",
    "categoryId": "cat_",
}


IDENTITY_HEADERS = [
    {
        "name": "X-Cstar-Identity",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "maxLength": 4096},
        "description": "A customer identity (D18): base64url of the exact signed JSON payload. "
        "With a publishable key, the request acts for that customer (D23).",
    },
    {
        "name": "X-Cstar-Identity-Hash",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "maxLength": 128},
        "description": "Hex HMAC-SHA256 of the identity payload, keyed with a secret key.",
    },
]


LAST_EVENT_ID = {
    "name": "Last-Event-ID",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Replay the events after this one, then go live (what EventSource sends).",
}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["ErrorEnvelope"] = _schema(ErrorEnvelope, schemas)
    doc["components"]["securitySchemes"] = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key: sk_test_, sk_live_, pk_test_ or pk_live_ + 32 characters.",
        }
    }
    doc["security"] = [{"bearerAuth": []}]
    error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if (method, path) in STREAMS:
                operation["responses"] = {"200": _stream(STREAMS[(method, path)])}
            else:
                status, model = SUCCESS[(method, path)]
                operation["responses"] = {
                    str(status): {
                        "description": "Success",
                        "content": {"application/json": {"schema": _schema(model, schemas)}},
                    }
                }
            codes = ["400", "401", "403", "404", "429", "500"]
            if method in WRITE_METHODS:
                codes += ["409", "413"]
            for code in sorted(codes):
                operation["responses"][code] = {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": error_ref}},
                }
            params = operation.setdefault("parameters", [])
            if "{teamId}" in path:
                params.insert(
                    0,
                    {
                        "name": "teamId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                        "description": "The team's UUID (see GET /api/v1/auth/whoami).",
                    },
                )
            for param in params:
                prefix = ID_PREFIXES.get(param["name"])
                if prefix is not None and param["in"] == "path":
                    param["schema"] = {
                        "type": "string",
                        "pattern": f"^({prefix}[0-9a-f]{{32}}|{UUID_PATTERN})$",
                        "description": f"A {prefix}... id or the bare UUID.",
                    }
            params.append(
                {
                    "name": "CStar-Version",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "enum": list(SUPPORTED_API_VERSIONS)},
                    "description": "API version (date); the latest when omitted.",
                }
            )
            if operation.get(ACCESS_FIELD) == Access.PORTAL or (method, path) in STREAMS:
                params.extend(IDENTITY_HEADERS)
            if (method, path) in STREAMS:
                params.append(LAST_EVENT_ID)
            if operation.get(ACCESS_FIELD) == Access.LIBRARY:
                operation["security"] = [{}, {"bearerAuth": []}]  # no key needed (D25)
                for param in params:
                    if param["name"] == "teamSlugOrId":
                        param["description"] = "The team's slug or UUID."
            if method in WRITE_METHODS:
                params.append(
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                        "description": "Repeat a write safely for 24 hours (D8).",
                    }
                )
    app.openapi_schema = doc
    return doc


def _stream(media_type: str) -> dict[str, Any]:
    return {
        "description": "A stream of Server-Sent Events (id, event, data: the D11 payload)",
        "content": {media_type: {"schema": {"type": "string"}}},
    }


def _schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON schema with its definitions moved into ``components/schemas``."""
    schema = model.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    return schema
