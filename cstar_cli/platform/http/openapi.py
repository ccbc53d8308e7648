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

from cstar_cli.platform.audit.models import AuditEntry
from cstar_cli.platform.game.models import (
    Achievement,
    Boss,
    LeaderboardEntry,
    PlayerStats,
    QuestView,
    SlaRule,
    SocialSend,
    TestClock,
)
from cstar_cli.platform.http.access import ACCESS_FIELD, IDENTITY_FIELD, Access
from cstar_cli.platform.inspector.links import InspectorLink
from cstar_cli.platform.logs.models import RequestLogEntry
from cstar_cli.platform.resources.articles.models import Article
from cstar_cli.platform.resources.community.models import (
    Comment,
    Post,
    Topic,
    Vote,
    VoteRemoved,
)
from cstar_cli.platform.resources.csat.models import CsatSettings, CsatStats, Survey
from cstar_cli.platform.resources.customer_groups.models import CustomerGroup
from cstar_cli.platform.resources.customers.models import Customer
from cstar_cli.platform.resources.events.models import Event, EventWithDeliveries, ResendResult
from cstar_cli.platform.resources.invites.models import Invite
from cstar_cli.platform.resources.keys.models import ApiKey
from cstar_cli.platform.resources.library.models import (
    ArticleFeedback,
    ArticleView,
    Category,
    LibraryArticle,
)
from cstar_cli.platform.resources.listen_sessions.models import ListenSession, ListenSessionSummary
from cstar_cli.platform.resources.members.models import Member
from cstar_cli.platform.resources.models import Deleted, Envelope, ErrorEnvelope, ListEnvelope
from cstar_cli.platform.resources.preferences.models import MemberPreferences, TeamPreferences
from cstar_cli.platform.resources.search.models import SearchHit
from cstar_cli.platform.resources.sla_metrics.models import SlaMetrics
from cstar_cli.platform.resources.tickets.models import Message, Ticket, TicketWithMessages
from cstar_cli.platform.resources.webhooks.models import (
    Delivery,
    TriggerResult,
    Webhook,
    WebhookTestResult,
)
from cstar_cli.platform.resources.whoami.models import Whoami
from cstar_cli.platform.settings import SUPPORTED_API_VERSIONS
from cstar_cli.platform.testhelpers.faultmodels import Fault, FaultsCleared
from cstar_cli.platform.testhelpers.models import DataFile, ImportResult, ResetResult

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
    ("get", f"{T}/game/bosses/{{bossId}}"): (200, Envelope[Boss]),
    ("get", f"{T}/game/achievements"): (200, Envelope[list[Achievement]]),
    **_crud(f"{T}/sla/rules", "ruleId", SlaRule),
    ("get", f"{T}/test-helpers/clock"): (200, Envelope[TestClock]),
    ("post", f"{T}/test-helpers/clock/advance"): (200, Envelope[TestClock]),
    ("post", f"{T}/test-helpers/clock/reset"): (200, Envelope[TestClock]),
    ("post", f"{T}/test-helpers/reset"): (200, Envelope[ResetResult]),
    ("get", f"{T}/test-helpers/export"): (200, DataFile),
    ("post", f"{T}/test-helpers/import"): (200, Envelope[ImportResult]),
    ("post", f"{T}/test-helpers/faults"): (201, Envelope[Fault]),
    ("get", f"{T}/test-helpers/faults"): (200, Envelope[list[Fault]]),
    ("get", f"{T}/test-helpers/faults/{{faultId}}"): (200, Envelope[Fault]),
    ("delete", f"{T}/test-helpers/faults/{{faultId}}"): (200, Envelope[Deleted]),
    ("delete", f"{T}/test-helpers/faults"): (200, Envelope[FaultsCleared]),
    ("post", f"{T}/inspector/links"): (201, Envelope[InspectorLink]),
    **_crud(f"{T}/categories", "categoryId", Category),
    ("get", f"{L}/articles"): (200, Envelope[list[LibraryArticle]]),
    ("get", f"{L}/articles/{{slug}}"): (200, Envelope[LibraryArticle]),
    ("get", f"{L}/categories"): (200, Envelope[list[Category]]),
    ("get", f"{L}/search"): (200, Envelope[list[LibraryArticle]]),
    ("post", f"{L}/articles/{{slug}}/view"): (200, Envelope[ArticleView]),
    ("post", f"{L}/articles/{{slug}}/feedback"): (201, Envelope[ArticleFeedback]),
    **_crud(f"{T}/community/topics", "topicId", Topic),
    **_crud(f"{T}/community/posts", "postId", Post),
    ("get", f"{T}/community/posts/{{postId}}/comments"): (200, ListEnvelope[Comment]),
    ("post", f"{T}/community/posts/{{postId}}/comments"): (201, Envelope[Comment]),
    ("post", f"{T}/community/posts/{{postId}}/votes"): (201, Envelope[Vote]),
    ("delete", f"{T}/community/posts/{{postId}}/votes"): (200, Envelope[VoteRemoved]),
    ("get", f"{T}/csat/settings"): (200, Envelope[CsatSettings]),
    ("patch", f"{T}/csat/settings"): (200, Envelope[CsatSettings]),
    ("get", f"{T}/csat/surveys"): (200, ListEnvelope[Survey]),
    ("post", f"{T}/csat/surveys"): (201, Envelope[Survey]),
    ("get", f"{T}/csat/stats"): (200, Envelope[CsatStats]),
    ("get", f"{T}/sla/metrics"): (200, Envelope[SlaMetrics]),
    ("get", f"{T}/team/preferences"): (200, Envelope[TeamPreferences]),
    ("patch", f"{T}/team/preferences"): (200, Envelope[TeamPreferences]),
    ("get", f"{T}/members/{{memberId}}/preferences"): (200, Envelope[MemberPreferences]),
    ("patch", f"{T}/members/{{memberId}}/preferences"): (200, Envelope[MemberPreferences]),
    ("get", f"{T}/game/quests"): (200, Envelope[list[QuestView]]),
    ("post", f"{T}/game/social/high-fives"): (201, Envelope[SocialSend]),
    ("post", f"{T}/game/social/one-ups"): (201, Envelope[SocialSend]),
    **_crud(f"{T}/customer-groups", "groupId", CustomerGroup),
    ("post", f"{T}/customer-groups/{{groupId}}/customers"): (200, Envelope[CustomerGroup]),
    ("delete", f"{T}/customer-groups/{{groupId}}/customers/{{customerId}}"): (
        200,
        Envelope[CustomerGroup],
    ),
    ("get", f"{T}/audit-log"): (200, ListEnvelope[AuditEntry]),
    **_crud(f"{T}/invites", "inviteId", Invite, update=False),
    ("get", f"{T}/search"): (200, ListEnvelope[SearchHit]),
}

# (method, path) -> a second success an operation may answer (a vote already there: 200)
ALSO: Answers = {("post", f"{T}/community/posts/{{postId}}/votes"): (200, Envelope[Vote])}

# (method, path) -> media type of operations that answer with a stream, not an envelope
STREAMS: dict[tuple[str, str], str] = {("get", f"{T}/realtime"): "text/event-stream"}

ERROR_DESCRIPTIONS = {
    "400": "Invalid request (parameter_missing, parameter_invalid, invalid_json)",
    "401": "Missing, malformed, unknown, revoked or expired API key; an identity that does not "
    "verify (identity_verification_failed)",
    "403": "Key not allowed (publishable_key_write, insufficient_permissions, team_access_denied)",
    "404": "No such resource (resource_missing)",
    "409": "Conflict (resource_conflict, idempotency_key_reused, idempotency_key_in_use, "
    "daily_limit_reached, gamification_disabled)",
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
    "bossId": "bos_",
    "faultId": "flt_",
    "topicId": "top_",
    "postId": "pst_",
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
    """FastAPI's document of ``app``, completed step by step (built once, then cached)."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = _error_schemas(doc)
    _bearer_auth(doc)
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            operation["responses"] = _responses(method, path, schemas)
            params = operation.setdefault("parameters", [])
            _path_parameters(path, params)
            params.extend(_headers(method, path, operation))
            if operation.get(ACCESS_FIELD) == Access.LIBRARY:
                _open_library(operation)
    app.openapi_schema = doc
    return doc


def _error_schemas(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's schemas: the error envelope in, FastAPI's 422 schemas out (the API
    answers a bad request with a 400 envelope, never a 422)."""
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["ErrorEnvelope"] = _schema(ErrorEnvelope, schemas)
    return schemas


def _bearer_auth(doc: dict[str, Any]) -> None:
    """An API key, sent as a bearer token, for every operation (the gateway checks it, so
    FastAPI does not know about it)."""
    doc["components"]["securitySchemes"] = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key: sk_test_, sk_live_, pk_test_ or pk_live_ + 32 characters.",
        }
    }
    doc["security"] = [{"bearerAuth": []}]


def _responses(method: str, path: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """An operation's answers: its success (the envelope of :data:`SUCCESS`, or a stream), then
    the error envelope for each status it can fail with (a write can also conflict or be too
    large)."""
    if (method, path) in STREAMS:
        responses = {"200": _stream(STREAMS[(method, path)])}
    else:
        status, model = SUCCESS[(method, path)]
        responses = {
            str(status): {
                "description": "Success",
                "content": {"application/json": {"schema": _schema(model, schemas)}},
            }
        }
        if (method, path) in ALSO:
            status, model = ALSO[(method, path)]
            responses[str(status)] = {
                "description": "Success (already there)",
                "content": {"application/json": {"schema": _schema(model, schemas)}},
            }
    codes = ["400", "401", "403", "404", "429", "500"]
    if method in WRITE_METHODS:
        codes += ["409", "413"]
    error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for code in sorted(codes):
        responses[code] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": error_ref}},
        }
    return responses


def _path_parameters(path: str, params: list[dict[str, Any]]) -> None:
    """The team's id first on a team path (the prefix FastAPI does not describe), and the
    pattern of each id in the path: its prefix (``tkt_``…) and 32 hex digits, or a bare UUID."""
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


def _headers(method: str, path: str, operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The headers the gateway reads: the API version on every operation, a customer identity
    on portal operations and streams, the last event seen on a stream, and an idempotency key
    on a write."""
    headers: list[dict[str, Any]] = [
        {
            "name": "CStar-Version",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "enum": list(SUPPORTED_API_VERSIONS)},
            "description": "API version (date); the latest when omitted.",
        }
    ]
    identified = operation.get(ACCESS_FIELD) == Access.PORTAL or operation.get(IDENTITY_FIELD)
    if identified or (method, path) in STREAMS:
        headers.extend(IDENTITY_HEADERS)
    if (method, path) in STREAMS:
        headers.append(LAST_EVENT_ID)
    if method in WRITE_METHODS:
        headers.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "Repeat a write safely for 24 hours (D8).",
            }
        )
    return headers


def _open_library(operation: dict[str, Any]) -> None:
    """A public library operation needs no key (D25), and its team is a slug or a UUID."""
    operation["security"] = [{}, {"bearerAuth": []}]
    for param in operation["parameters"]:
        if param["name"] == "teamSlugOrId":
            param["description"] = "The team's slug or UUID."


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
