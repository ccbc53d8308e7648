"""What a customer portal sees and may set through a verified identity (D18, D23): allow-lists.

A publishable key with a verified identity acts for that one customer: it sees their tickets
with every staff-only field blanked (notes, metadata, SLA internals, the assignee's id — only the
agent's display name is shown), only non-internal messages, and may set only ``title``,
``priority`` (not ``urgent``), ``tags`` and the first message's ``content`` on create, and a
message's ``content`` (sender ``customer``). A secret key is never narrowed.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.tickets.models import MessageCreate, TicketCreate

TICKET_FIELDS = frozenset(
    {
        "id",
        "object",
        "title",
        "status",
        "priority",
        "channel",
        "customerId",
        "customerName",
        "tags",
        "messageCount",
        "createdAt",
        "updatedAt",
        "resolvedAt",
        "closedAt",
        "customer",
        "messages",
        "assignedToName",
    }
)
CREATE_FIELDS = frozenset({"title", "priority", "tags", "message", "customerId"})
MESSAGE_FIELDS = frozenset({"content", "sender"})


def ticket_view(ticket: dict[str, Any], *, messages: int, assignee: str | None) -> dict[str, Any]:
    """The ticket as the portal sees it: allowed fields kept, every other field blanked."""
    view = {
        name: value if name in TICKET_FIELDS else _blank(value) for name, value in ticket.items()
    }
    view["messageCount"] = messages
    view["assignedToName"] = assignee
    return view


def _blank(value: Any) -> Any:
    if isinstance(value, bool):
        return False
    if isinstance(value, dict):
        return {}
    if isinstance(value, list):
        return []
    return None


def check_ticket_create(body: TicketCreate) -> None:
    """Refuse fields a customer may not set on a new ticket (403 naming the field)."""
    _only(body.model_fields_set, CREATE_FIELDS, "title, priority, tags and message.content")
    if body.priority == "urgent":
        raise _refused("priority", "A customer cannot open an urgent ticket; use high.")


def check_message_create(body: MessageCreate) -> None:
    """Refuse fields a customer may not set on a message (403 naming the field)."""
    _only(body.model_fields_set, MESSAGE_FIELDS, "content")
    if "sender" in body.model_fields_set and body.sender != "customer":
        raise _refused("sender", "Messages sent through an identity come from the customer.")


def _only(given: set[str], allowed: frozenset[str], listed: str) -> None:
    extra = sorted(given - allowed)
    if extra:
        raise _refused(
            extra[0], f"Through a customer identity only {listed} can be set; '{extra[0]}' is not."
        )


def _refused(param: str, message: str) -> ApiError:
    err = ApiError.forbidden("insufficient_permissions", message)
    err.param = param
    return err
