"""What each inspector view shows, gathered from the REST API (see ``client``).

One addition reads the tables directly: the delivery state of the events on one page, from the
same ``deliveries`` and listen-queue rows that ``GET /events/{id}`` serves — one query for the
page instead of one request per event, so the view costs the same with 10 or 10,000 events.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.core import Platform
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.inspector.client import ApiClient, ApiFailure
from cstar_cli.platform.inspector.formats import status_class
from cstar_cli.wire import catalog
from cstar_cli.wire.protocol import WEBHOOK_USER_AGENT

PAGE_SIZE = 30  # a screenful; the view costs the same whatever the store holds


def event_types() -> list[str]:
    return [kind.name for kind in catalog.events()]


async def events(
    client: ApiClient, platform: Platform, page: int, filters: dict[str, str | None]
) -> dict[str, Any]:
    answer = await client.get("events", page=page, pageSize=PAGE_SIZE, **filters)
    rows: list[dict[str, Any]] = answer.data or []
    states = delivery_states(platform, client.session.principal, [r["id"] for r in rows])
    listed = [{**row, "delivery": states.get(row["id"], NO_TARGETS)} for row in rows]
    return {
        "events": listed,
        "pagination": answer.pagination,
        "filters": filters,
        "pending": any(row["delivery"]["state"] in ("pending", "retrying") for row in listed),
    }


NO_TARGETS = {"state": "none", "label": "no targets", "targets": 0, "tone": "muted"}


def delivery_states(
    platform: Platform, principal: Principal, event_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Per event: the latest attempt's state for each target, summed up for a glance."""
    if not event_ids:
        return {}
    marks = ",".join("?" * len(event_ids))
    rows = platform.db.all(
        "SELECT event_id, COALESCE(webhook_id, session_id) AS target, status FROM deliveries "
        f"WHERE team_id = ? AND livemode = ? AND event_id IN ({marks}) ORDER BY rowid",
        (principal.team_id, int(principal.livemode), *event_ids),
    )
    latest: dict[str, dict[str, str]] = {}
    for row in rows:
        targets = latest.setdefault(row["event_id"], {})
        failed_before = targets.get(row["target"]) in ("failed", "retrying")
        retrying = row["status"] == "pending" and failed_before
        targets[row["target"]] = "retrying" if retrying else row["status"]
    for row in platform.db.all(
        f"SELECT event_id, session_id FROM route_events WHERE event_id IN ({marks})", event_ids
    ):
        latest.setdefault(row["event_id"], {})[row["session_id"]] = "pending"
    return {event_id: _summary(list(targets.values())) for event_id, targets in latest.items()}


def _summary(states: list[str]) -> dict[str, Any]:
    done = states.count("succeeded")
    if "retrying" in states:
        state, label = "retrying", f"retrying {done}/{len(states)}"
    elif "pending" in states:
        state, label = "pending", f"pending {done}/{len(states)}"
    elif "failed" in states:
        state, label = "failed", f"failed {len(states) - done}/{len(states)}"
    else:
        state, label = "delivered", f"delivered {done}/{len(states)}"
    return {"state": state, "label": label, "targets": len(states), "tone": status_class(state)}


async def event(client: ApiClient, event_id: str) -> dict[str, Any]:
    answer = await client.get(f"events/{event_id}")
    data: dict[str, Any] = answer.data
    attempts: list[dict[str, Any]] = data.pop("deliveries", [])
    source = {"origin": data.pop("origin", "action"), "replayOf": data.pop("replayOf", None)}
    hooks = (await client.get("webhooks", pageSize=100)).data or []
    sessions = (await client.get("webhooks/listen/sessions", pageSize=100)).data or []
    names = {h["id"]: h for h in hooks} | {s["id"]: s for s in sessions}
    groups: dict[str, dict[str, Any]] = {}
    for attempt in attempts:
        target = attempt["webhookId"] or attempt["sessionId"] or attempt["url"]
        group = groups.setdefault(target, _target(target, attempt, names))
        attempt["headers"] = _headers(data, attempt, names.get(target))
        group["attempts"].append(attempt)
    others = [
        _target(target["id"], None, names)
        for target in [*hooks, *sessions]
        if target["id"] not in groups
    ]
    return {
        "event": data,
        "source": source,
        "groups": list(groups.values()),
        "others": others,
        "targets": [_target(target["id"], None, names) for target in [*hooks, *sessions]],
        "pending": any(attempt["status"] == "pending" for attempt in attempts),
    }


def _target(target: str, attempt: dict[str, Any] | None, names: dict[str, Any]) -> dict[str, Any]:
    known = names.get(target) or {}
    session = target.startswith("cls_")
    label = known.get("deviceName") if session else known.get("url")
    return {
        "id": target,
        "kind": "listen session" if session else "webhook",
        "label": label or (attempt or {}).get("url") or target,
        "resend": {"sessionId" if session else "webhookId": target},
        "attempts": [],
    }


def _headers(
    event: dict[str, Any], attempt: dict[str, Any], target: dict[str, Any] | None
) -> list[tuple[str, str]]:
    """The D13 headers an attempt carried (signatures are made at send time, not stored)."""
    subscription = attempt["webhookId"] or attempt["sessionId"] or ""
    headers = [
        ("Content-Type", "application/json"),
        ("User-Agent", WEBHOOK_USER_AGENT),
        ("X-Signature", "t=<send time>,v1=<HMAC-SHA256 of t.body>"),
        ("X-Event-Type", event.get("type", "")),
        ("X-Event-ID", event.get("id", "")),
        ("X-Webhook-ID", subscription),
        ("X-Timestamp", attempt.get("scheduledAt") or attempt.get("createdAt") or ""),
        ("X-Delivery-Attempt", str(attempt.get("attempt", 1))),
    ]
    if target is None or target.get("legacySignature", True):
        headers.append(("X-Cstar-Signature", "<HMAC-SHA256 of body>"))
    return headers


async def sessions(client: ApiClient) -> dict[str, Any]:
    answer = await client.get("webhooks/listen/sessions", pageSize=100)
    return {"sessions": answer.data or []}


async def webhooks(client: ApiClient) -> dict[str, Any]:
    hooks = (await client.get("webhooks", pageSize=100)).data or []
    for hook in hooks:
        recent = await client.get(f"webhooks/{hook['id']}/deliveries", pageSize=10)
        hook["recent"] = recent.data or []
    return {"webhooks": hooks}


LOG_FILTERS = ("method", "path", "status", "statusClass", "source", "since")


async def logs(client: ApiClient, page: int, filters: dict[str, str | None]) -> dict[str, Any]:
    """The request log, newest first; a bad filter is shown, not a failed page."""
    return await _filtered(client, "logs", page, filters)


async def _filtered(
    client: ApiClient, path: str, page: int, filters: dict[str, str | None]
) -> dict[str, Any]:
    try:
        answer = await client.get(path, page=page, pageSize=PAGE_SIZE, **filters)
    except ApiFailure as err:
        if err.status != 400:
            raise
        return {"entries": [], "pagination": {}, "filters": filters, "problem": err.error}
    return {
        "entries": answer.data or [],
        "pagination": answer.pagination,
        "filters": filters,
        "problem": None,
    }


async def game(client: ApiClient, period: str) -> dict[str, Any]:
    active = (await client.get("game/bosses", status="active", pageSize=20)).data or []
    recent = (await client.get("game/bosses", pageSize=10)).data or []
    board = (await client.get("game/leaderboard", period=period, pageSize=20)).data or []
    unlocked = await client.get("events", type="player.achievement_unlocked", pageSize=10)
    return {
        "active": active,
        "past": [b for b in recent if b["status"] != "active"],
        "leaderboard": board,
        "achievements": [e["data"] | {"created_at": e["created_at"]} for e in unlocked.data or []],
        "period": period,
    }


async def clock(client: ApiClient) -> dict[str, Any]:
    if client.session.principal.livemode:
        return {"clock": None}
    return {"clock": (await client.get("test-helpers/clock")).data}


async def ticket(client: ApiClient, ticket_id: str) -> dict[str, Any]:
    data = (await client.get(f"tickets/{ticket_id}", expand="customer")).data
    members = (await client.get("members", pageSize=100)).data or []
    names = {member["id"]: member["name"] for member in members}
    customer = (data.get("customer") or {}).get("name") or data.get("customerName")
    messages = [
        {**message, "author": _author(message, customer)} for message in data.pop("messages", [])
    ]
    return {
        "ticket": data,
        "messages": messages,
        "assignee": names.get(data.get("assignedTo") or ""),
        "done": data.get("status") in ("resolved", "closed"),
    }


SENDERS = {"customer": "Customer", "agent": "Agent", "system": "System"}


def _author(message: dict[str, Any], customer: str | None) -> str:
    """Who wrote a message, as a person would say it: ``Grace Hopper (agent)``, or the sender
    alone (``Agent``) when the message names nobody; a customer's is the ticket's customer."""
    sender = str(message.get("sender") or "")
    name = message.get("senderName") or (customer if sender == "customer" else None)
    if not name:
        return SENDERS.get(sender, sender.capitalize() or "Unknown")
    return f"{name} ({sender})" if sender else str(name)


AUDIT_FILTERS = ("action", "resourceId", "source")


async def audit(client: ApiClient, page: int, filters: dict[str, str | None]) -> dict[str, Any]:
    """The audit log (D42), newest first; a bad filter is shown, not a failed page."""
    return await _filtered(client, "audit-log", page, filters)
