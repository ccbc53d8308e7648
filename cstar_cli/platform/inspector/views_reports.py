"""What the community (D43) and CSAT (D44, with the SLA metrics of D45) views show, gathered
from the REST API like every other view (see ``client``)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.inspector.client import ApiClient

POST_SORTS = ("votes", "recent", "comments")
POST_TONES = {
    "open": "muted",
    "under_review": "warn",
    "planned": "warn",
    "answered": "ok",
    "officially_answered": "ok",
    "completed": "ok",
    "not_planned": "bad",
}


async def community(client: ApiClient, sort: str) -> dict[str, Any]:
    topics = (await client.get("community/topics", pageSize=100)).data or []
    answer = await client.get("community/posts", sort=sort, pageSize=30)
    names = {topic["id"]: topic["name"] for topic in topics}
    posts = [
        {
            **post,
            "topic": names.get(post.get("topic_id") or ""),
            "tone": POST_TONES.get(post["status"]),
        }
        for post in answer.data or []
    ]
    return {"topics": topics, "posts": posts, "pagination": answer.pagination, "sort": sort}


async def csat(client: ApiClient) -> dict[str, Any]:
    settings = (await client.get("csat/settings")).data
    stats = (await client.get("csat/stats")).data
    surveys = (await client.get("csat/surveys", pageSize=20)).data or []
    metrics = (await client.get("sla/metrics")).data
    spread = stats.get("distribution") or {}
    most = max([1, *spread.values()])
    bars = [
        {"rating": n, "count": spread.get(str(n), 0), "share": spread.get(str(n), 0) / most}
        for n in range(5, 0, -1)
    ]
    rows = [{"priority": p, **m} for p, m in (metrics.get("byPriority") or {}).items()]
    rows.append({"priority": "overall", **(metrics.get("overall") or {})})
    return {
        "settings": settings,
        "stats": stats,
        "bars": bars,
        "surveys": surveys,
        "sla": metrics,
        "rows": rows,
    }
