"""The API's resources, one class each, shared by the sync and the async client.

A resource only says *which* request to make; its client makes it. On the sync client a method
returns the answer, on the async client it returns an awaitable of the same answer::

    cstar.tickets.create({"title": "Printer on fire"})          # CstarClient
    await cstar.tickets.create({"title": "Printer on fire"})    # AsyncCstarClient
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Call:
    """One request a resource asks its client to make (``parts`` follow ``/teams/{teamId}/``)."""

    method: str
    parts: tuple[str, ...]
    params: Mapping[str, Any] | None = None
    json: Any = None
    idempotency_key: str | None = None
    page: bool = False  # the answer is a list: return it as a Page
    bare: bool = False  # the answer is a JSON object of its own, not an envelope (an export)
    timeout: float | None = None  # seconds, when not the client's


class Caller(Protocol):
    """What a resource needs from its client (both clients implement it)."""

    def _call(self, call: Call) -> Any: ...
    def _iterate(self, resource: Resource, params: Mapping[str, Any] | None, size: int) -> Any: ...
    def team_path(self, *parts: str) -> Any: ...


class Resource:
    """CRUD and paging on one team resource (``/teams/{teamId}/<name>``)."""

    def __init__(self, client: Caller, name: str) -> None:
        self._client = client
        self.name = name

    def _call(self, method: str, *parts: str, **kwargs: Any) -> Any:
        return self._client._call(Call(method, (self.name, *parts), **kwargs))

    def list(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page`; ``params`` may hold filters, ``page``, ``pageSize`` and ``sort``."""
        return self._call("GET", params=params, page=True)

    def iter_all(self, params: Mapping[str, Any] | None = None, *, page_size: int = 100) -> Any:
        """Every item across pages (an async iterator on the async client)."""
        return self._client._iterate(self, params, page_size)

    def get(self, item_id: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._call("GET", item_id, params=params)

    def create(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> Any:
        return self._call("POST", json=dict(body), idempotency_key=idempotency_key)

    def update(
        self, item_id: str, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Any:
        return self._call("PATCH", item_id, json=dict(body), idempotency_key=idempotency_key)

    def delete(self, item_id: str, *, idempotency_key: str | None = None) -> Any:
        return self._call("DELETE", item_id, idempotency_key=idempotency_key)


class MessagesResource:
    """Messages of a ticket: ``/tickets/{ticketId}/messages``."""

    def __init__(self, client: Caller) -> None:
        self._client = client

    def list(self, ticket_id: str, params: Mapping[str, Any] | None = None) -> Any:
        path = ("tickets", ticket_id, "messages")
        return self._client._call(Call("GET", path, params=params, page=True))

    def create(
        self, ticket_id: str, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Any:
        path = ("tickets", ticket_id, "messages")
        return self._client._call(
            Call("POST", path, json=dict(body), idempotency_key=idempotency_key)
        )


class TicketsResource(Resource):
    """Tickets, with their messages under ``.messages``."""

    def __init__(self, client: Caller, name: str = "tickets") -> None:
        super().__init__(client, name)
        self.messages = MessagesResource(client)


class KeysResource(Resource):
    """API keys (D9): the full key appears only in ``create`` and ``roll`` answers."""

    def revoke(self, key_id: str) -> Any:
        return self.delete(key_id)

    def roll(self, key_id: str, *, expires_in: int = 0) -> Any:
        body = {"expiresIn": expires_in} if expires_in else {}
        return self._call("POST", key_id, "roll", json=body)


class WebhooksResource(Resource):
    """Webhook endpoints (D12): CRUD, plus test, rotate-secret, deliveries and trigger-test."""

    def test(self, webhook_id: str, event: str | None = None) -> Any:
        """Send one sample event to this endpoint now; ``{deliveryId, success, status, …}``."""
        return self._call("POST", webhook_id, "test", json={"event": event} if event else {})

    def rotate_secret(self, webhook_id: str) -> Any:
        """Replace the signing secret; the answer carries the new ``secret`` (once)."""
        return self._call("POST", webhook_id, "rotate-secret")

    def deliveries(self, webhook_id: str, params: Mapping[str, Any] | None = None) -> Any:
        """One page of delivery attempts to this endpoint, newest first."""
        return self._call("GET", webhook_id, "deliveries", params=params, page=True)

    def trigger_test(
        self, event: str, data: Mapping[str, Any] | None = None, *, source: str | None = None
    ) -> Any:
        """Fire a synthetic event at every matching webhook and listen session; with ``source``
        (an object's id, D39) its data is what a real event carries for that object, with
        ``data`` merged over it."""
        body: dict[str, Any] = {"event": event}
        if data is not None:
            body["data"] = dict(data)
        if source is not None:
            body["for"] = source
        return self._call("POST", "trigger-test", json=body)


class EventsResource(Resource):
    """Events as delivered (snake_case payloads, D10), newest first; resend to endpoints."""

    def resend(
        self,
        event_id: str,
        *,
        webhook_id: str | None = None,
        session_id: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Any:
        """Deliver an event again: to one webhook, one listen session, or every match; with
        ``data``, replay it with edits (D39): a new event carrying ``data``."""
        body: dict[str, Any] = {"webhookId": webhook_id, "sessionId": session_id}
        if data is not None:
            body["data"] = dict(data)
        return self._call(
            "POST", event_id, "resend", json={k: v for k, v in body.items() if v is not None}
        )


class Endpoint:
    """Calls under one team path that is not a collection (``/teams/{teamId}/<prefix>/…``)."""

    prefix: tuple[str, ...] = ()

    def __init__(self, client: Caller) -> None:
        self._client = client

    def _call(self, method: str, *parts: str, **kwargs: Any) -> Any:
        return self._client._call(Call(method, (*self.prefix, *parts), **kwargs))


ADVANCE_TIMEOUT = 90.0
"""Seconds a clock advance may take: the platform answers within a minute of moving (D37)."""


class ClockResource(Endpoint):
    """The team's test clock (D21, test keys only): ``{now, offsetSeconds, …}`` each time."""

    prefix = ("test-helpers", "clock")

    def show(self) -> Any:
        return self._call("GET")

    def advance(self, seconds: float) -> Any:
        """Move the clock ``seconds`` forward: deadlines pass, bosses spawn and escape, and the
        webhook retries that fall due are sent before it answers (D37; up to a minute, then
        ``pending`` says how many are still going)."""
        return self._call("POST", "advance", json={"seconds": seconds}, timeout=ADVANCE_TIMEOUT)

    def reset(self) -> Any:
        """Back to real time (what was recorded meanwhile is kept)."""
        return self._call("POST", "reset")


class LogsResource(Endpoint):
    """Request logs (D17), newest first."""

    prefix = ("logs",)

    def list(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page`; ``params`` may hold the log filters and ``pageSize``."""
        return self._call("GET", params=params, page=True)

    def stream_path(self) -> Any:
        """The path of the live log websocket (``/api/v1/teams/{teamId}/logs/stream``)."""
        return self._client.team_path(*self.prefix, "stream")


class GameResource(Endpoint):
    """The team's game (D19–D22): the leaderboard, players, achievements and SLA bosses."""

    prefix = ("game",)

    def leaderboard(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page` of players by XP; ``params`` may hold ``period`` (season, week)."""
        return self._call("GET", "leaderboard", params=params, page=True)

    def player(self, user_id: str) -> Any:
        """A player's level, XP, streaks and stats; ``user_id`` is a member or user id."""
        return self._call("GET", "player", params={"userId": user_id})

    def achievements(self, user_id: str) -> Any:
        """Every achievement, with whether this player has unlocked it."""
        return self._call("GET", "achievements", params={"userId": user_id})

    def bosses(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page` of SLA bosses; ``params`` may hold ``status`` (active…)."""
        return self._call("GET", "bosses", params=params, page=True)

    def boss(self, boss_id: str) -> Any:
        """One SLA boss, by ``bos_`` id or bare UUID."""
        return self._call("GET", "bosses", boss_id)

    def quests(self, member_id: str | None = None) -> Any:
        """The daily and weekly quests (D46); with ``member_id``, that member's progress."""
        return self._call("GET", "quests", params={"memberId": member_id} if member_id else None)

    def high_five(self, from_member: str, to_member: str, message: str | None = None) -> Any:
        """A high-five from one member to another (``social.high_five_sent``)."""
        body = {"fromMemberId": from_member, "toMemberId": to_member}
        if message is not None:
            body["message"] = message
        return self._call("POST", "social", "high-fives", json=body)

    def one_up(self, from_member: str, to_member: str, ticket_id: str | None = None) -> Any:
        """A one-up from one member to another, maybe for a ticket (``social.one_up_sent``)."""
        body = {"fromMemberId": from_member, "toMemberId": to_member}
        if ticket_id is not None:
            body["ticketId"] = ticket_id
        return self._call("POST", "social", "one-ups", json=body)


class ListenSessionsResource(Endpoint):
    """``cstar listen`` sessions (D14, D31): the relay's side of ``/webhooks/listen``."""

    prefix = ("webhooks", "listen")

    def open(self, body: Mapping[str, Any]) -> Any:
        """Create the device's session or resume it; the answer carries its socket URL."""
        return self._call("POST", json=dict(body))

    def list(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page` of live sessions, newest first (without their secrets)."""
        return self._call("GET", "sessions", params=params, page=True)

    def end(self, session_id: str) -> Any:
        """End a session and drop its backlog."""
        return self._call("DELETE", session_id)


class InspectorResource(Endpoint):
    """The local inspector (``cstar dev`` only)."""

    prefix = ("inspector",)

    def link(self, environment: str | None = None) -> Any:
        """A one-time sign-in link: ``{token, environment, expiresAt}``."""
        body = {"environment": environment} if environment else None
        return self._call("POST", "links", json=body)


class NestedResource(Resource):
    """CRUD and paging on a collection a few segments deep (``/community/topics``)."""

    def __init__(self, client: Caller, *path: str) -> None:
        super().__init__(client, "/".join(path))
        self._path = path

    def _call(self, method: str, *parts: str, **kwargs: Any) -> Any:
        return self._client._call(Call(method, (*self._path, *parts), **kwargs))


class CommunityPostsResource(NestedResource):
    """Community posts (D43, snake_case), with their comments and votes."""

    def comments(self, post_id: str, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page` of a post's comments, oldest first."""
        return self._call("GET", post_id, "comments", params=params, page=True)

    def comment(
        self, post_id: str, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Any:
        """Comment on a post: ``{body, member_id?}`` (``member_id`` with a secret key)."""
        return self._call(
            "POST", post_id, "comments", json=dict(body), idempotency_key=idempotency_key
        )

    def vote(self, post_id: str, member_id: str | None = None) -> Any:
        """Vote for a post (once per voter): the vote, with the post's ``vote_count``."""
        body = {"member_id": member_id} if member_id else {}
        return self._call("POST", post_id, "votes", json=body)

    def unvote(self, post_id: str, member_id: str | None = None) -> Any:
        """Take the voter's vote back: ``{id, deleted, vote_count}``."""
        params = {"member_id": member_id} if member_id else None
        return self._call("DELETE", post_id, "votes", params=params)


class CommunityResource:
    """The community forum (D43): ``.topics`` and ``.posts``."""

    def __init__(self, client: Caller) -> None:
        self.topics = NestedResource(client, "community", "topics")
        self.posts = CommunityPostsResource(client, "community", "posts")


class CsatResource(Endpoint):
    """CSAT (D44): settings, survey answers and stats."""

    prefix = ("csat",)

    def settings(self) -> Any:
        return self._call("GET", "settings")

    def update_settings(self, body: Mapping[str, Any]) -> Any:
        """Change ``enabled``, ``question`` or ``sendAfter``."""
        return self._call("PATCH", "settings", json=dict(body))

    def surveys(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page` of survey answers; ``params`` may hold ticketId, rating, since."""
        return self._call("GET", "surveys", params=params, page=True)

    def submit(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> Any:
        """Answer a ticket's survey: ``{ticketId, rating (1-5), comment?}``."""
        return self._call("POST", "surveys", json=dict(body), idempotency_key=idempotency_key)

    def stats(self, params: Mapping[str, Any] | None = None) -> Any:
        """``{responses, averageRating, csatScore, distribution}`` over ``since``/``until``."""
        return self._call("GET", "stats", params=params)


class SlaResource(Endpoint):
    """SLA reports (D45)."""

    prefix = ("sla",)

    def metrics(self, params: Mapping[str, Any] | None = None) -> Any:
        """Per priority and overall, over ``since``/``until`` (default the last 30 days)."""
        return self._call("GET", "metrics", params=params)


class PreferencesResource(Endpoint):
    """Preferences (D46): the team's (``/team/preferences``) and each member's
    (``/members/{id}/preferences``)."""

    def team(self) -> Any:
        return self._client._call(Call("GET", ("team", "preferences")))

    def update_team(self, body: Mapping[str, Any]) -> Any:
        """Change the fields given (``timezone``, ``businessHours``, ``gamificationEnabled``,
        ``defaultPriority``); fires ``team.preferences_updated`` when something changed."""
        return self._client._call(Call("PATCH", ("team", "preferences"), json=dict(body)))

    def member(self, member_id: str) -> Any:
        return self._client._call(Call("GET", ("members", member_id, "preferences")))

    def update_member(self, member_id: str, body: Mapping[str, Any]) -> Any:
        """Change the fields given (``notifications``, ``theme``, ``soundEffects``); fires
        ``agent.preferences_updated`` when something changed."""
        path = ("members", member_id, "preferences")
        return self._client._call(Call("PATCH", path, json=dict(body)))


class CustomerGroupsResource(Resource):
    """Customer groups (D41): CRUD, and who is in them (``/customer-groups/{id}/customers``)."""

    def add_customers(self, group_id: str, customer_ids: list[str]) -> Any:
        """Add customers (``cus_`` ids) to a group; the group as it is now."""
        return self._call("POST", group_id, "customers", json={"customerIds": list(customer_ids)})

    def remove_customer(self, group_id: str, customer_id: str) -> Any:
        """Take one customer out of a group; the group as it is now."""
        return self._call("DELETE", group_id, "customers", customer_id)


class InvitesResource(Resource):
    """Invites to the team (D47): create with ``email`` and ``role``, list, revoke."""

    def revoke(self, invite_id: str) -> Any:
        return self.delete(invite_id)


class AuditLogResource(Endpoint):
    """The audit log (D42): every successful write, newest first; read-only."""

    prefix = ("audit-log",)

    def list(self, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page`; ``params`` may hold ``action``, ``resourceType``, ``resourceId``,
        ``actorId``, ``since``/``startDate``, ``until``/``endDate``, ``page``, ``pageSize``."""
        return self._call("GET", params=params, page=True)


class SearchResource(Endpoint):
    """``GET /search`` (D47): tickets, customers and articles matching a text."""

    prefix = ("search",)

    def query(self, q: str, params: Mapping[str, Any] | None = None) -> Any:
        """One :class:`Page` of ``{object, id, title|name, snippet}``; ``params`` may hold
        ``types`` (comma list), ``page`` and ``pageSize``."""
        return self._call("GET", params={"q": q, **(params or {})}, page=True)
