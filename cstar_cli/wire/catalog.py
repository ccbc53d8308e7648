"""The webhook event catalogue: 35 event types in 7 categories (platform-facts §4.1).

Pure data plus small functions, standard library only and cheap to import: ``cstar trigger
--list`` reads the descriptions, subscriptions and ``cstar listen --events`` validate their filters
with :func:`validate_patterns`, and ``cstar trigger`` builds synthetic events with
:func:`sample_data` (:mod:`.samples`) and :func:`envelope` (D11: snake_case on the wire).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, NamedTuple

from cstar_cli.wire import ids
from cstar_cli.wire.times import iso

__all__ = [
    "ALIASES",
    "CATEGORIES",
    "DESCRIPTIONS",
    "EVENT_TYPES",
    "RESOURCES",
    "EventType",
    "UnknownEventTypeError",
    "category_of",
    "envelope",
    "event_id",
    "events",
    "is_known",
    "matches",
    "sample_data",
    "suggest",
    "validate_patterns",
]


class EventType(NamedTuple):
    """One catalogue entry."""

    name: str
    category: str
    description: str


# Category -> ((event type, when it fires), ...), in the documented order.
_CATALOGUE: Final[tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = (
    (
        "Tickets",
        (
            ("ticket.created", "A ticket is created (dashboard, widget, email or API)."),
            (
                "ticket.updated",
                "A ticket's status, priority, assignee, tags or other fields change; "
                "data.changes lists them.",
            ),
            ("ticket.closed", "A ticket is resolved or closed."),
            ("ticket.message_added", "A message (reply or internal note) is added to a ticket."),
            ("ticket.deleted", "A ticket is deleted."),
            ("ticket.assigned", "A ticket is assigned to a team member."),
        ),
    ),
    (
        "Customers",
        (
            ("customer.created", "A customer record is created."),
            ("customer.updated", "A customer's details change; data.changes lists them."),
            ("customer.deleted", "A customer record is deleted."),
            ("customer_group.created", "A customer group (e.g. a company account) is created."),
            ("customer_group.updated", "A customer group's details change."),
            ("customer_group.deleted", "A customer group is deleted."),
        ),
    ),
    (
        "Articles",
        (
            ("article.created", "A knowledge-base article is created."),
            ("article.published", "An article is published to the public Library."),
            ("article.updated", "An article's content or settings change."),
            ("article.deleted", "An article is deleted."),
        ),
    ),
    (
        "Team",
        (
            ("team.preferences_updated", "The team's settings change."),
            ("agent.preferences_updated", "A team member changes their own preferences."),
        ),
    ),
    (
        "Gamification",
        (
            ("boss.spawned", "An SLA boss appears: open tickets are close to missing their SLA."),
            ("boss.damaged", "Resolving an at-risk ticket hits the boss (100 damage)."),
            ("boss.defeated", "A boss's HP reaches 0; the final blow is credited."),
            ("player.level_up", "A player reaches a new level."),
            ("player.achievement_unlocked", "A player unlocks an achievement."),
            ("player.xp_gained", "A player earns XP (e.g. for closing a ticket within SLA)."),
            ("player.quest_completed", "A player completes a quest."),
            (
                "player.streak_milestone",
                "A player's daily resolution streak reaches 3, 7, 14 or 30 days.",
            ),
            ("social.one_up_sent", "A team member gives a teammate a one-up."),
            ("social.high_five_sent", "A team member high-fives a teammate."),
        ),
    ),
    (
        "Community",
        (
            ("community_post.created", "A community forum post is created."),
            ("community_post.updated", "A community post's title or body is edited."),
            (
                "community_post.status_changed",
                "A community post's status changes (answered, planned, completed, …).",
            ),
            ("community_post.commented", "Someone comments on a community post."),
            ("community_post.deleted", "A community post is deleted."),
            ("community_post.voted", "Someone votes on a community post."),
        ),
    ),
    (
        "Surveys",
        (("survey.submitted", "A customer submits a CSAT survey response."),),
    ),
)

CATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    category: tuple(name for name, _ in entries) for category, entries in _CATALOGUE
}
"""Category name -> its event types, in the documented order."""

EVENT_TYPES: Final[tuple[str, ...]] = tuple(name for names in CATEGORIES.values() for name in names)
"""All 35 event types, in catalogue order."""

DESCRIPTIONS: Final[dict[str, str]] = {
    name: description for _, entries in _CATALOGUE for name, description in entries
}
"""Event type -> one line saying when it fires."""

_CATEGORY_OF: Final[dict[str, str]] = {
    name: category for category, names in CATEGORIES.items() for name in names
}

RESOURCES: Final[tuple[str, ...]] = tuple(dict.fromkeys(name.split(".")[0] for name in EVENT_TYPES))
"""The resource part of every event type, e.g. ``ticket``, ``customer_group``; ``resource.*``."""

ALIASES: Final[dict[str, str]] = {"achievement.unlocked": "player.achievement_unlocked"}
"""Old event names (earlier docs, the launch post) -> the current name."""


def events() -> list[EventType]:
    """Every event type with its category and description, in catalogue order."""
    return [EventType(name, _CATEGORY_OF[name], DESCRIPTIONS[name]) for name in EVENT_TYPES]


def is_known(event_type: str) -> bool:
    """True for one of the 35 current event types (old aliases are not current)."""
    return event_type in _CATEGORY_OF


def category_of(event_type: str) -> str:
    """The category of a known event type; raises :class:`UnknownEventTypeError` otherwise."""
    try:
        return _CATEGORY_OF[event_type]
    except KeyError:
        raise UnknownEventTypeError([event_type]) from None


# --- Names and patterns ---------------------------------------------------------------------


def matches(pattern: str, event_type: str) -> bool:
    """True when a subscription pattern selects ``event_type``.

    Patterns are exact names (``ticket.created``), ``resource.*`` (``ticket.*`` selects every
    ``ticket.…`` event but not ``ticket_x.…``) and ``*`` (everything).
    """
    pattern = pattern.strip()
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return pattern == event_type


def suggest(name: str) -> list[str]:
    """Close matches for an unknown event type or pattern, best first (may be empty).

    An old name maps to its current one (``achievement.unlocked``: ``player.achievement_unlocked``).
    """
    import difflib

    text = name.strip().lower()
    if text in ALIASES:
        return [ALIASES[text]]
    if text.endswith(".*") or "." not in text:
        resource = text.removesuffix(".*")
        wildcards = [f"{r}.*" for r in difflib.get_close_matches(resource, RESOURCES, n=3)]
        if wildcards or text.endswith(".*"):
            return wildcards
    candidates = [*EVENT_TYPES, *ALIASES]
    found = difflib.get_close_matches(text, candidates, n=3, cutoff=0.6)
    if not found:  # a known action on a misspelt resource, or the reverse
        _, _, action = text.partition(".")
        found = [n for n in EVENT_TYPES if action and n.endswith(f".{action}")][:3]
    return list(dict.fromkeys(ALIASES.get(n, n) for n in found))


class UnknownEventTypeError(ValueError):
    """One or more event types or patterns are not in the catalogue; the message suggests fixes."""

    def __init__(self, unknown: list[str], *, invalid: list[str] | None = None) -> None:
        self.unknown = unknown
        self.invalid = invalid or []
        self.suggestions = {name: suggest(name) for name in unknown}
        lines = []
        for name in unknown:
            close = self.suggestions[name]
            line = f"Unknown event type {name!r}."
            if close:
                line += " Did you mean " + " or ".join(repr(c) for c in close) + "?"
            lines.append(line)
        for pattern in self.invalid:
            lines.append(
                f"Unsupported event pattern {pattern!r}: use an exact name (ticket.created), "
                "resource.* (ticket.*) or *."
            )
        lines.append("`cstar trigger --list` shows every event type.")
        super().__init__("\n".join(lines))


def validate_patterns(patterns: Iterable[str]) -> list[str]:
    """Check event filters and return them trimmed, de-duplicated, in order.

    Each item may hold several comma-separated patterns. Raises :class:`UnknownEventTypeError`
    (a ``ValueError``) naming every unknown type or unsupported pattern, with suggestions.
    """
    accepted: list[str] = []
    unknown: list[str] = []
    invalid: list[str] = []
    for item in patterns:
        for raw in item.split(","):
            pattern = raw.strip()
            if not pattern:
                continue
            if pattern == "*" or pattern in _CATEGORY_OF:
                accepted.append(pattern)
            elif pattern.endswith(".*") and "*" not in pattern[:-2]:
                (accepted if pattern[:-2] in RESOURCES else unknown).append(pattern)
            elif "*" in pattern:
                invalid.append(pattern)
            else:
                unknown.append(pattern)
    if unknown or invalid:
        raise UnknownEventTypeError(list(dict.fromkeys(unknown)), invalid=invalid)
    if not accepted:
        raise ValueError("No event types given: use exact names, resource.* or *.")
    return list(dict.fromkeys(accepted))


# --- Envelope ---------------------------------------------------------------------------------

_BASE62: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def event_id(event_type: str, epoch_ms: int) -> str:
    """``evt_<type with . as _>_<epoch ms>_<8 base62>`` (D11)."""
    import secrets

    number = secrets.randbelow(len(_BASE62) ** 8)  # one draw from the system's randomness
    digits = []
    for _ in range(8):
        number, digit = divmod(number, len(_BASE62))
        digits.append(_BASE62[digit])
    suffix = "".join(digits)
    return f"{ids.EVENT}{event_type.replace('.', '_')}_{epoch_ms}_{suffix}"


def envelope(
    event_type: str, data: dict[str, Any], *, team_id: str, livemode: bool, now: float
) -> dict[str, Any]:
    """The delivered event: ``{id, type, created_at, team_id, livemode, data}`` (D11)."""
    return {
        "id": event_id(event_type, int(now * 1000)),
        "type": event_type,
        "created_at": iso(now),
        "team_id": team_id,
        "livemode": livemode,
        "data": data,
    }


def sample_data(
    event_type: str, *, team_id: str, team_slug: str, now: float, api_base: str | None = None
) -> dict[str, Any]:
    """A realistic synthetic ``data`` object for ``event_type`` (see :mod:`.samples`)."""
    from cstar_cli.wire.samples import sample_data as build

    return build(event_type, team_id=team_id, team_slug=team_slug, now=now, api_base=api_base)
