"""Which event types an existing object can be the source of (D39: ``cstar trigger TYPE --for
ID``): the object families by id prefix, each with the types whose ``data`` it carries."""

from __future__ import annotations

from typing import Final, NamedTuple

from cstar_cli.wire import ids


class Family(NamedTuple):
    """One object family: its id prefix, its noun, and the event types built from it."""

    prefix: str
    noun: str
    types: tuple[str, ...]


FAMILIES: Final[tuple[Family, ...]] = (
    Family(
        ids.TICKET,
        "ticket",
        (
            "ticket.created",
            "ticket.updated",
            "ticket.closed",
            "ticket.assigned",
            "ticket.message_added",
            "ticket.deleted",
        ),
    ),
    Family(ids.MESSAGE, "message", ("ticket.message_added",)),
    Family(ids.CUSTOMER, "customer", ("customer.created", "customer.updated", "customer.deleted")),
    Family(
        ids.ARTICLE,
        "article",
        ("article.created", "article.published", "article.updated", "article.deleted"),
    ),
    Family(
        ids.POST,
        "community post",
        (
            "community_post.created",
            "community_post.updated",
            "community_post.status_changed",
            "community_post.commented",
            "community_post.voted",
            "community_post.deleted",
        ),
    ),
    Family(ids.COMMENT, "community comment", ("community_post.commented",)),
    Family(ids.SURVEY, "CSAT survey", ("survey.submitted",)),
    Family(
        ids.CUSTOMER_GROUP,
        "customer group",
        ("customer_group.created", "customer_group.updated", "customer_group.deleted"),
    ),
)


def family_of(object_id: str) -> Family | None:
    """The family an id's prefix names (``tkt_…`` → tickets), if events can be built from it."""
    return next((f for f in FAMILIES if object_id.startswith(f.prefix)), None)


def mismatch(event_type: str, object_id: str) -> str | None:
    """Why ``event_type`` can't be built from ``object_id`` (``None`` when it can)."""
    family = family_of(object_id)
    if family is None:
        prefixes = ", ".join(f"{f.prefix}…" for f in FAMILIES)
        return f"No events are built from {object_id!r}: --for takes an id of {prefixes}."
    if event_type not in family.types:
        return (
            f"{event_type} is not built from a {family.noun}; the {family.noun} types are: "
            f"{', '.join(family.types)}."
        )
    return None
