"""What one realtime stream may see of each event (D26, D23): its *view*.

A view takes an event row and returns the payload to send (the D11 JSON text) or ``None``:

- every stream: only the types its ``events=`` patterns match;
- a secret key: every event of its team and environment, exactly as stored;
- a publishable key: game events (bosses, players, social) — whose members show their id and
  name, never their email — and events of published, public articles (without changes to staff
  notes);
- a publishable key with a verified identity, also: that customer's ticket events, without
  staff-only fields — internal messages are not sent at all, the assignee's id becomes their
  display name, and notes, metadata, the assignee, the staff dashboard link and the customer's
  staff-side fields (sentiment, tags, …) are left out, from ``changes`` too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.identity import Identity
from cstar_cli.platform.store.db import Row
from cstar_cli.wire import catalog

View = Callable[[Row], str | None]
GAME = "Gamification"
STAFF_CHANGES = frozenset({"notes", "metadata", "assigned_to"})
CUSTOMER_FIELDS = ("id", "name", "email")


def view_for(
    principal: Principal,
    identity: Identity | None,
    patterns: Sequence[str],
    member_name: Callable[[str], str | None],
) -> View:
    """The view of a stream opened by ``principal`` (acting for ``identity``, if verified)."""
    wanted = tuple(patterns)
    customer = ids.CUSTOMER + identity.customer_id if identity is not None else None

    def view(row: Row) -> str | None:
        event_type: str = row["type"]
        if not any(catalog.matches(p, event_type) for p in wanted):
            return None
        if principal.is_secret:
            return str(row["payload"])
        payload: dict[str, Any] = json.loads(row["payload"])
        if catalog.is_known(event_type) and catalog.category_of(event_type) == GAME:
            return json.dumps(without_emails(payload), separators=(",", ":"), ensure_ascii=False)
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        assert isinstance(data, dict)
        shown: dict[str, Any] | None = None
        if event_type.startswith("article."):
            shown = _public_article(data)
        elif event_type.startswith("ticket.") and customer is not None:
            shown = _own_ticket(data, customer, member_name)
        if shown is None:
            return None
        return json.dumps({**payload, "data": shown}, separators=(",", ":"), ensure_ascii=False)

    return view


def without_emails(value: Any) -> Any:
    """``value`` with every ``email`` left out, at any depth: a member's email is for the
    staff, never for a browser."""
    if isinstance(value, dict):
        return {k: without_emails(v) for k, v in value.items() if k != "email"}
    if isinstance(value, list):
        return [without_emails(v) for v in value]
    return value


def _public_article(data: dict[str, Any]) -> dict[str, Any] | None:
    article = data.get("article")
    if not isinstance(article, dict):
        return None
    if article.get("status") != "published" or article.get("is_public") is not True:
        return None  # drafts and private articles stay with the staff
    return _without_changes(data, frozenset({"notes"}))


def _own_ticket(
    data: dict[str, Any], customer: str, member_name: Callable[[str], str | None]
) -> dict[str, Any] | None:
    ticket = data.get("ticket")
    if not isinstance(ticket, dict) or ticket.get("customer_id") != customer:
        return None
    message = data.get("message")
    if isinstance(message, dict) and message.get("is_internal"):
        return None  # an internal note is never shown to the customer
    shown = _without_changes(data, STAFF_CHANGES)
    if shown is None:
        return None
    assignee = ticket.get("assigned_to")
    portal_ticket = {k: v for k, v in ticket.items() if k not in ("assigned_to", "dashboard_url")}
    portal_ticket["assigned_to_name"] = (
        member_name(assignee.removeprefix(ids.MEMBER)) if isinstance(assignee, str) else None
    )
    shown["ticket"] = portal_ticket
    if isinstance(data.get("customer"), dict):
        shown["customer"] = {k: data["customer"].get(k) for k in CUSTOMER_FIELDS}
    return shown


def _without_changes(data: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any] | None:
    """``data`` without the hidden ``changes``; ``None`` when nothing visible changed."""
    shown = dict(data)
    changes = data.get("changes")
    if isinstance(changes, dict):
        shown["changes"] = {k: v for k, v in changes.items() if k not in hidden}
        if changes and not shown["changes"]:
            return None
    return shown
