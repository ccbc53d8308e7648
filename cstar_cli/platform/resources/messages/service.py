"""A ticket's messages (facts §3.3): listed as the caller may see them, and added with the
ticket's SLA fields, its ``ticket.message_added`` event and the game's hook in one transaction.
A customer portal adds as the customer (D23)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import game
from cstar_cli.platform.resources import payloads
from cstar_cli.platform.resources.tickets.models import MessageCreate
from cstar_cli.platform.resources.tickets.portal import check_message_create
from cstar_cli.platform.resources.tickets.service import Tickets, message_row, serialize_message
from cstar_cli.platform.store.db import Row


class Messages(Tickets):
    """The messages of the caller's tickets."""

    def list_messages(self, ticket_id: str) -> list[dict[str, Any]]:
        row = self.visible(ticket_id)
        return [serialize_message(m) for m in self.messages_of(row["id"])]

    def add(self, ticket_id: str, body: MessageCreate) -> dict[str, Any]:
        portal = self.caller.identity
        row = self.visible(ticket_id)
        stamp = self.stamp()
        sender, sender_name = body.sender, body.senderName
        if portal is not None:
            check_message_create(body)
            sender, sender_name = "customer", portal.name
        message = message_row(
            self,
            row["id"],
            stamp,
            content=body.content,
            sender=sender,
            sender_name=sender_name,
            is_internal=body.isInternal,
        )
        values: Row = {"message_count": row["message_count"] + 1, "updated_at": stamp}
        if sender == "agent" and not body.isInternal and row["first_response_at"] is None:
            values["first_response_at"] = stamp
        values.update(game.sla_fields(row, {**row, **values}, self.now()))
        with self.transaction() as db:
            db.insert("messages", message)
            db.update("tickets", "id", row["id"], values)
            updated = {**row, **values}
            data = {
                "ticket": self._payload(updated),
                "message": payloads.message_data(message),
            }
            self.emit("ticket.message_added", data)
            self.game_hook(row, updated)
        return serialize_message(message)
