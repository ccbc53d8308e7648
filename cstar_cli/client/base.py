"""The base class both clients share: their settings and resources, the request for each call
(built by :mod:`.requests`), and the decision after each attempt (the answer, a retry after a
delay, or the typed error). The clients in :mod:`.clients` add only sending and sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from cstar_cli.client.errors import CstarAPIError, from_transport
from cstar_cli.client.requests import (
    ApiResponse,
    RequestSpec,
    RetryPolicy,
    build_request,
    parse_response,
    segment,
    to_page,
)
from cstar_cli.client.resources import (
    AuditLogResource,
    Call,
    ClockResource,
    CommunityResource,
    CsatResource,
    CustomerGroupsResource,
    EventsResource,
    GameResource,
    InspectorResource,
    InvitesResource,
    KeysResource,
    ListenSessionsResource,
    LogsResource,
    PreferencesResource,
    Resource,
    SearchResource,
    SlaResource,
    TicketsResource,
    WebhooksResource,
)
from cstar_cli.client.testhelpers import TestHelpersResource
from cstar_cli.wire.protocol import DEFAULT_API_BASE

if TYPE_CHECKING:
    import httpx


RequestHook = Callable[[RequestSpec, int | None, float, str | None, int], None]
"""Called after each attempt: (request, status or None, seconds, request id, attempt number)."""
RetryHook = Callable[[RequestSpec, CstarAPIError, float, int], None]
"""Called before each retry: (request, the error that failed it, seconds to wait, retry number
— 1 for the first)."""

DEFAULT_TIMEOUT = 30.0
WHOAMI_PATH = "/api/v1/auth/whoami"


class ClientSettings(TypedDict, total=False):
    """What both clients take besides the key, the transport and the sleep function."""

    team_id: str | None
    """The key's team; asked of ``whoami`` before the first team call when not given."""
    api_base: str
    timeout: float
    """Seconds each request may take (connecting: at most 10)."""
    retry: RetryPolicy | None
    on_request: RequestHook | None
    user_agent: str | None
    on_retry: RetryHook | None


class RequestOptions(TypedDict, total=False):
    """What ``request()`` of either client takes besides the method and the path."""

    params: Mapping[str, Any] | None
    """The query string."""
    json: Any
    """The body, sent as JSON."""
    idempotency_key: str | None
    """Sent as ``Idempotency-Key``; a write without one gets a fresh one (kept across retries)."""
    bare: bool
    """The answer is a JSON object of its own, not an envelope (a data file, D34)."""
    timeout: float | None
    """Seconds this request may take (default: the client's ``timeout``)."""


def timeout_of(seconds: float) -> httpx.Timeout:
    import httpx

    return httpx.Timeout(seconds, connect=min(seconds, 10.0))


def to_httpx(http: httpx.Client | httpx.AsyncClient, spec: RequestSpec) -> httpx.Request:
    """The request ``spec`` describes, built by ``http`` (so with its defaults and timeout)."""
    if spec.timeout is not None:
        return http.build_request(
            spec.method,
            spec.url,
            params=spec.params,
            headers=spec.headers,
            content=spec.body,
            timeout=timeout_of(spec.timeout),
        )
    return http.build_request(
        spec.method, spec.url, params=spec.params, headers=spec.headers, content=spec.body
    )


def _no_retry(err: CstarAPIError) -> bool:
    return err.code == "invalid_api_base"


class ClientBase:
    """The client without its transport: settings, resources, requests and their outcomes."""

    def __init__(
        self,
        api_key: str | None,
        *,
        team_id: str | None = None,
        api_base: str = DEFAULT_API_BASE,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        on_request: RequestHook | None = None,
        user_agent: str | None = None,
        on_retry: RetryHook | None = None,
    ) -> None:
        self.api_key = api_key
        self.on_retry = on_retry
        self.user_agent = user_agent
        self.team_id = team_id
        self.api_base = api_base.rstrip("/")
        self._timeout = timeout_of(timeout)
        self.retry = retry or RetryPolicy()
        self.on_request = on_request
        self.last_meta: dict[str, Any] = {}
        self.tickets = TicketsResource(self)
        self.customers = Resource(self, "customers")
        self.articles = Resource(self, "articles")
        self.members = Resource(self, "members")
        self.keys = KeysResource(self, "keys")
        self.webhooks = WebhooksResource(self, "webhooks")
        self.events = EventsResource(self, "events")
        self.clock = ClockResource(self)
        self.logs = LogsResource(self)
        self.game = GameResource(self)
        self.listen_sessions = ListenSessionsResource(self)
        self.inspector = InspectorResource(self)
        self.test_helpers = TestHelpersResource(self)
        self.community = CommunityResource(self)
        self.csat = CsatResource(self)
        self.sla = SlaResource(self)
        self.preferences = PreferencesResource(self)
        self.customer_groups = CustomerGroupsResource(self, "customer-groups")
        self.audit_log = AuditLogResource(self)
        self.invites = InvitesResource(self, "invites")
        self.search = SearchResource(self)

    def _call(self, call: Call) -> Any:
        raise NotImplementedError  # each client sends the way it does

    def team_path(self, *parts: str) -> Any:
        raise NotImplementedError  # the async client may have to await whoami first

    def _iterate(self, resource: Resource, params: Mapping[str, Any] | None, size: int) -> Any:
        raise NotImplementedError

    def _spec(self, method: str, path: str, **options: Unpack[RequestOptions]) -> RequestSpec:
        """The request to send, with this client's base, key and user agent."""
        return build_request(
            api_base=self.api_base,
            api_key=self.api_key,
            method=method,
            path=path,
            params=options.get("params"),
            json_body=options.get("json"),
            idempotency_key=options.get("idempotency_key"),
            user_agent=self.user_agent,
            bare=options.get("bare", False),
            timeout=options.get("timeout"),
        )

    def _hook(
        self, spec: RequestSpec, status: int | None, start: float, rid: str | None, n: int
    ) -> None:
        if self.on_request is not None:
            self.on_request(spec, status, time.monotonic() - start, rid, n)

    def _settle(
        self, spec: RequestSpec, attempt: int, start: float, outcome: httpx.Response | Exception
    ) -> ApiResponse | float:
        """What one attempt came to: the parsed envelope, or the delay before the next attempt.

        Raises the typed error when the retry policy gives up. Shared by the sync and async
        clients, which differ only in how they send and sleep.
        """
        try:
            if isinstance(outcome, Exception):
                import httpx

                if isinstance(outcome, httpx.TransportError | httpx.InvalidURL):
                    raise from_transport(outcome, self.api_base) from outcome
                raise outcome
            rid = outcome.headers.get("x-cstar-request-id")
            self._hook(spec, outcome.status_code, start, rid, attempt)
            response = parse_response(
                outcome.status_code, outcome.headers, outcome.content, bare=spec.bare
            )
        except CstarAPIError as err:
            if err.status is None:
                self._hook(spec, None, start, None, attempt)
            delay = None if _no_retry(err) else self.retry.delay_for(attempt, err)
            if delay is None:
                raise
            if self.on_retry is not None:
                self.on_retry(spec, err, delay, attempt + 1)
            return delay
        self.last_meta = response.meta
        return response

    def _call_spec(self, call: Call, path: str) -> RequestSpec:
        """The request for a resource's ``call``, at ``path`` (its team path)."""
        return self._spec(
            call.method,
            path,
            params=call.params,
            json=call.json,
            idempotency_key=call.idempotency_key,
            bare=call.bare,
            timeout=call.timeout,
        )

    @staticmethod
    def _answer(call: Call, response: ApiResponse) -> Any:
        """What a resource method returns: a :class:`Page` for a list, else the data."""
        return to_page(response) if call.page else response.data

    @property
    def may_move_time(self) -> bool:
        """A test key: its team's clock may be ahead of real time (D21, D37)."""
        return "_test_" in (self.api_key or "")

    def _remember_team(self, whoami: dict[str, Any]) -> dict[str, Any]:
        """Keep the team of a ``whoami`` answer when the team is not known yet."""
        if self.team_id is None:
            self.team_id = whoami.get("teamId")
        return whoami

    def _team_path(self, *parts: str) -> str:
        """``/api/v1/teams/{teamId}/…`` once the team is known."""
        assert self.team_id is not None
        return "/api/v1/teams/" + "/".join([segment(self.team_id), *(segment(p) for p in parts)])
