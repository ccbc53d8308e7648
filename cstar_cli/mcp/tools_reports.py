"""The MCP read tools of the community (D43), CSAT (D44) and SLA metrics (D45).

The community is snake_case on the wire; its tools take the API's own spelling of each
argument too (``postId`` in the path, ``topic``, ``status``, ``sort`` in the query)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.mcp.toolkit import AnyResult, ItemResult, ListResult, Page, PageSize, ToolBase
from cstar_cli.wire.enums import PostStatus, PostVisibility

PostId = Annotated[str, Field(min_length=1, description="Community post id (pst_…).")]
PostSort = Literal["recent", "votes", "comments"]
Since = Annotated[
    str | None, Field(description="From: ISO time, keyword (today, this_week) or 1h, 7d.")
]
Until = Annotated[str | None, Field(description="Until: ISO time or keyword.")]


class ReportTools(ToolBase):
    """The community forum, customer satisfaction and SLA performance (reads only)."""

    # -- community ---------------------------------------------------------------------------

    async def list_community_topics(self, page: Page = 1, pageSize: PageSize = 20) -> ListResult:
        """List the community forum's topics (name, slug, post_count), in their order."""
        return await self._list("community", "topics", params={"page": page, "pageSize": pageSize})

    async def list_community_posts(
        self,
        topic: Annotated[str | None, Field(description="Only this topic (slug or top_…).")] = None,
        status: Annotated[PostStatus | None, Field(description="Only this status.")] = None,
        visibility: Annotated[
            PostVisibility | None, Field(description="Only public or members_only posts.")
        ] = None,
        search: Annotated[str | None, Field(description="Text in the title or body.")] = None,
        sort: Annotated[
            PostSort, Field(description="recent (newest), votes or comments; pinned first.")
        ] = "recent",
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """List community forum posts (feature requests, questions): title, status (open,
        planned, completed…), vote_count, comment_count, author. Snake_case, as the API."""
        params = {
            "topic": topic,
            "status": status,
            "visibility": visibility,
            "search": search,
            "sort": sort,
            "page": page,
            "pageSize": pageSize,
        }
        return await self._list("community", "posts", params=params)

    async def get_community_post(self, postId: PostId) -> ItemResult:
        """Get one community post with its full body, status, votes and flags."""
        return await self._item("GET", "community", "posts", postId)

    async def list_community_comments(
        self, postId: PostId, page: Page = 1, pageSize: PageSize = 20
    ) -> ListResult:
        """List a community post's comments, oldest first (is_official: a team member's)."""
        params = {"page": page, "pageSize": pageSize}
        return await self._list("community", "posts", postId, "comments", params=params)

    # -- CSAT and SLA ------------------------------------------------------------------------

    async def list_csat_surveys(
        self,
        ticketId: Annotated[str | None, Field(description="Only this ticket (tkt_…).")] = None,
        rating: Annotated[int | None, Field(ge=1, le=5, description="Only this rating.")] = None,
        since: Since = None,
        page: Page = 1,
        pageSize: PageSize = 20,
    ) -> ListResult:
        """List customer satisfaction survey answers (rating 1–5, comment, ticket), newest
        first. Needs a secret key."""
        params = {
            "ticketId": ticketId,
            "rating": rating,
            **await self._window(since),
            "page": page,
            "pageSize": pageSize,
        }
        return await self._list("csat", "surveys", params=params)

    async def csat_stats(self, since: Since = None, until: Until = None) -> AnyResult:
        """Customer satisfaction over a window: responses, averageRating, csatScore (the
        share of 4 and 5 ratings, 0–100) and the distribution of ratings 1–5."""
        return await self._any("csat", "stats", params=await self._window(since, until))

    async def sla_metrics(self, since: Since = None, until: Until = None) -> AnyResult:
        """SLA performance per priority and overall (default the last 30 days of team time):
        tickets, respondedWithinTarget and resolvedWithinTarget (count, percent), median
        minutes to first response and to resolution, breaches, and gold/silver/bronze/missed
        resolution tiers."""
        return await self._any("sla", "metrics", params=await self._window(since, until))
