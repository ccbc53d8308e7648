"""Synthetic events built from an existing object (D39, ``cstar trigger TYPE --for ID``): the
``data`` a real event of that type carries for that object today (D11), from the payload
builders the services' own events use, with the caller's fields merged over it."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import payloads
from cstar_cli.platform.resources.community import shapes
from cstar_cli.platform.resources.csat.service import survey_data
from cstar_cli.platform.resources.customer_groups.service import CustomerGroups, group_data
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.db import Row
from cstar_cli.wire import sources
from cstar_cli.wire.ids import COMMENT, CUSTOMER_GROUP, POST, SURVEY

PARAM = "for"
CHANGED = (
    "ticket.updated",
    "ticket.closed",
    "ticket.assigned",
    "customer.updated",
    "article.updated",
    "community_post.updated",
    "community_post.status_changed",
    "customer_group.updated",
)
"""Types whose real events carry ``changes``: a synthetic one carries ``{}`` unless given."""


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` over ``base``: objects merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


class Sources(Service):
    """The objects of the caller's team and environment that events can be built from."""

    table = "events"
    prefix = ""
    param = PARAM
    noun = "object"

    def data_for(self, event_type: str, object_id: str, extra: dict[str, Any] | None) -> Row:
        """What a real ``event_type`` carries for ``object_id`` now, with ``extra`` merged in;
        a type the object is not the source of is a 400 naming the types that fit."""
        problem = sources.mismatch(event_type, object_id)
        if problem is not None:
            raise ApiError.invalid(problem, param=PARAM)
        family = sources.family_of(object_id)
        assert family is not None
        build = {
            ids.TICKET: self._ticket,
            ids.MESSAGE: self._message,
            ids.CUSTOMER: self._customer,
            ids.ARTICLE: self._article,
            POST: self._post,
            COMMENT: self._comment,
            SURVEY: self._survey,
            CUSTOMER_GROUP: self._group,
        }[family.prefix]
        data = build(event_type, object_id)
        if event_type in CHANGED:
            data.setdefault("changes", {})
        return merged(data, extra or {})

    def _load(self, table: str, prefix: str, value: str, noun: str) -> Row:
        return self.referenced(table, prefix, PARAM, value, noun=noun)

    def _ticket_payload(self, row: Row) -> dict[str, Any]:
        return payloads.ticket_data(row, self.platform.links(self.principal.team_id))

    def _ticket(self, event_type: str, value: str) -> dict[str, Any]:
        row = self._load("tickets", ids.TICKET, value, "ticket")
        data: dict[str, Any] = {"ticket": self._ticket_payload(row)}
        if event_type == "ticket.created":
            customer = self.row("customers", row["customer_id"]) if row["customer_id"] else None
            if customer is not None:
                data["customer"] = payloads.customer_data(customer)
        if event_type == "ticket.message_added":
            message = self.db.one(
                "SELECT * FROM messages WHERE ticket_id = ? ORDER BY created_at DESC, rowid DESC",
                (row["id"],),
            )
            if message is None:
                raise ApiError.invalid(
                    f"Ticket {value} has no messages yet: add one, or name a message (msg_…).",
                    param=PARAM,
                )
            data["message"] = payloads.message_data(message)
        return data

    def _message(self, _event_type: str, value: str) -> dict[str, Any]:
        message = self._load("messages", ids.MESSAGE, value, "message")
        ticket = self.row("tickets", message["ticket_id"])
        assert ticket is not None  # messages go with their ticket
        return {"ticket": self._ticket_payload(ticket), "message": payloads.message_data(message)}

    def _customer(self, _event_type: str, value: str) -> dict[str, Any]:
        row = self._load("customers", ids.CUSTOMER, value, "customer")
        return {"customer": payloads.customer_data(row)}

    def _article(self, _event_type: str, value: str) -> dict[str, Any]:
        row = self._load("articles", ids.ARTICLE, value, "article")
        return {"article": payloads.article_data(row)}

    def _post(self, event_type: str, value: str) -> dict[str, Any]:
        post = self._load("community_posts", POST, value, "community post")
        data: dict[str, Any] = {"post": shapes.post_data(post)}
        if event_type == "community_post.commented":
            data["comment"] = shapes.comment_data(self._latest("community_comments", post, value))
        if event_type == "community_post.voted":
            vote = self._latest("community_votes", post, value)
            data["vote"] = {key: vote[key] for key in ("value", "voter_name", "created_at")}
        return data

    def _latest(self, table: str, post: Row, value: str) -> Row:
        row = self.db.one(
            f"SELECT * FROM {table} WHERE post_id = ? ORDER BY created_at DESC, rowid DESC",
            (post["id"],),
        )
        if row is None:
            kind = "comments" if table == "community_comments" else "votes"
            raise ApiError.invalid(f"Post {value} has no {kind} yet.", param=PARAM)
        return row

    def _comment(self, _event_type: str, value: str) -> dict[str, Any]:
        comment = self._load("community_comments", COMMENT, value, "community comment")
        post = self.row("community_posts", comment["post_id"])
        assert post is not None  # comments go with their post
        return {"post": shapes.post_data(post), "comment": shapes.comment_data(comment)}

    def _survey(self, _event_type: str, value: str) -> dict[str, Any]:
        survey = self._load("csat_surveys", SURVEY, value, "CSAT survey")
        found = self.row("customers", survey["customer_id"]) if survey["customer_id"] else None
        customer = payloads.customer_data(found) if found else None
        return {"survey": survey_data(survey), "customer": customer}

    def _group(self, _event_type: str, value: str) -> dict[str, Any]:
        group = self._load("customer_groups", CUSTOMER_GROUP, value, "customer group")
        count = len(CustomerGroups(self.caller).member_ids(group["id"]))
        return {"customer_group": group_data(group, count)}
