"""The MCP tools of the platform around the desk: events, webhooks, request logs, the game."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cstar_cli.mcp.toolkit import (
    AnyResult,
    EventName,
    ItemResult,
    ListResult,
    Page,
    PageSize,
    Since,
    ToolBase,
)
from cstar_cli.wire.enums import EventOrigin, HttpMethod, LogSource, Period, StatusClass


class PlatformTools(ToolBase):
    """Events and webhooks, request logs and gamification."""

    # -- events and webhooks ----------------------------------------------------------------

    async def list_events(
        self,
        type: Annotated[
            str | None,
            Field(description="An event type (ticket.created) or pattern (ticket.*)."),
        ] = None,
        since: Annotated[
            str | None,
            Field(description="At or after: ISO time, keyword (today, this_week) or 1h, 7d."),
        ] = None,
        until: Annotated[str | None, Field(description="Before: ISO time or keyword.")] = None,
        origin: Annotated[
            EventOrigin | None,
            Field(description="Only real writes (action), triggers (synthetic) or replays."),
        ] = None,
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """List webhook events the team emitted, newest first (what happened: ticket.created,
        customer.updated…), each with its payload and where it came from (origin: action,
        synthetic or replay; replayOf). Needs a secret key."""
        params = {
            "type": type,
            "origin": origin,
            **await self._window(since, until),
            "page": page,
            "pageSize": pageSize,
        }
        return await self._list("events", params=params)

    async def trigger_event(
        self,
        event: Annotated[EventName, Field(description="The event type to fire.")],
        data: Annotated[
            dict[str, Any] | None,
            Field(
                description="The event's data object; omit for a realistic sample. With forId, "
                'fields merged over the object\'s data (e.g. {"changes": {…}}).'
            ),
        ] = None,
        forId: Annotated[
            str | None,
            Field(
                description="Build the event for an existing object (the API's `for`): a "
                "ticket (tkt_…), message (msg_…), customer (cus_…) or article (art_…) id; the "
                "event carries what a real one carries for it today, so a handler that fetches "
                "the object finds it.",
                max_length=100,
            ),
        ] = None,
    ) -> ItemResult:
        """Fire a synthetic test event to every active webhook and `cstar listen` session that
        subscribes to it (for testing integrations; no real ticket or customer changes).
        With forId, the event is built from that existing object (the type must fit it:
        ticket.* for a ticket, customer.* for a customer, article.* for an article).
        Returns eventId and how many endpoints it was delivered to."""
        body: dict[str, Any] = {"event": event}
        if data is not None:
            body["data"] = data
        if forId is not None:
            body["for"] = forId
        return await self._item("POST", "webhooks", "trigger-test", body=body)

    async def list_webhooks(
        self,
        active: Annotated[bool | None, Field(description="Only active (or inactive) ones.")] = (
            None
        ),
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """List the team's webhook endpoints: URL, subscribed events, active flag (signing
        secrets are never shown)."""
        params = {"active": active, "page": page, "pageSize": pageSize}
        return await self._list("webhooks", params=params)

    # -- request logs -----------------------------------------------------------------------

    async def list_request_logs(
        self,
        method: HttpMethod | None = None,
        path: Annotated[
            str | None,
            Field(description="Path prefix or glob, e.g. /api/v1/teams/*/tickets."),
        ] = None,
        status: Annotated[int | None, Field(ge=100, le=599, description="Exact status.")] = None,
        statusClass: Annotated[
            StatusClass | None, Field(description="4xx for client errors, 5xx for failures.")
        ] = None,
        source: Annotated[
            LogSource | None, Field(description="Who sent it: api, cli, mcp, sdk, dashboard.")
        ] = None,
        since: Since = None,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """Recent API request logs, newest first: method, path, status, duration, source, error
        and request id (never bodies or full keys). Use it to debug failing integrations, e.g.
        statusClass="4xx", since="1h"."""
        params = {
            "method": method,
            "path": path,
            "status": status,
            "statusClass": statusClass,
            "source": source,
            **await self._window(since),
            "pageSize": pageSize,
        }
        return await self._list("logs", params=params)

    # -- gamification -----------------------------------------------------------------------

    async def game_leaderboard(
        self,
        period: Annotated[
            Period, Field(description="season (all season) or week (this week).")
        ] = "season",
    ) -> AnyResult:
        """The team's gamification leaderboard: members ranked by XP, with levels and
        streaks."""
        return await self._any("game", "leaderboard", params={"period": period})

    async def game_player(
        self,
        userId: Annotated[
            str, Field(min_length=1, description="The member's userId (usr_…), see list_members.")
        ],
    ) -> AnyResult:
        """One player's gamification state: level, XP, streak, achievements."""
        return await self._any("game", "player", params={"userId": userId})

    async def game_bosses(self) -> AnyResult:
        """SLA bosses: active ones (tickets close to missing their SLA) and recent defeats."""
        return await self._any("game", "bosses")

    async def game_quests(
        self,
        memberId: Annotated[
            str | None,
            Field(description="The member (mem_…, see list_members) whose progress to show."),
        ] = None,
    ) -> AnyResult:
        """The daily and weekly quests (close 3 tickets today; answer 5 tickets within their
        response target this week; land a boss's final blow this week), with their rewards and,
        for a member, progress/target and when each was completed. Days and weeks follow the
        team's time zone."""
        params = {"memberId": memberId} if memberId else None
        return await self._any("game", "quests", params=params)

    async def get_preferences(
        self,
        memberId: Annotated[
            str | None,
            Field(description="A member (mem_…) for their own preferences; none: the team's."),
        ] = None,
    ) -> AnyResult:
        """Preferences: the team's (timezone, businessHours, gamificationEnabled,
        defaultPriority) or, with memberId, that member's own (notifications, theme,
        soundEffects)."""
        if memberId:
            return await self._any("members", memberId, "preferences")
        return await self._any("team", "preferences")
