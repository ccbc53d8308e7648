"""The webhook event catalogue: 35 event types in 7 categories (platform-facts §4.1).

Pure data plus small functions, standard library only and cheap to import: ``cstar trigger
--list`` reads the descriptions, subscriptions and ``cstar listen --events`` validate their filters
with :func:`validate_patterns`, and ``cstar trigger`` builds synthetic events with
:func:`sample_data` and :func:`envelope` (D11: snake_case on the wire).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final, NamedTuple

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
    "iso_time",
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


def iso_time(ts: float) -> str:
    """Unix seconds as ISO-8601 UTC with milliseconds: ``2026-03-06T14:30:00.123Z``."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def event_id(event_type: str, epoch_ms: int) -> str:
    """``evt_<type with . as _>_<epoch ms>_<8 base62>`` (D11)."""
    import secrets

    suffix = "".join(secrets.choice(_BASE62) for _ in range(8))
    return f"evt_{event_type.replace('.', '_')}_{epoch_ms}_{suffix}"


def envelope(
    event_type: str, data: dict[str, Any], *, team_id: str, livemode: bool, now: float
) -> dict[str, Any]:
    """The delivered event: ``{id, type, created_at, team_id, livemode, data}`` (D11)."""
    return {
        "id": event_id(event_type, int(now * 1000)),
        "type": event_type,
        "created_at": iso_time(now),
        "team_id": team_id,
        "livemode": livemode,
        "data": data,
    }


# --- Synthetic data for `cstar trigger` ---------------------------------------------------------

DASHBOARD_BASE: Final = "https://www.cstar.help/team"
_MEMBERS: Final = {  # label -> (name, email, role); the local platform seeds the same three
    "owner": ("Ada Lovelace", "ada@example.com", "owner"),
    "agent": ("Grace Hopper", "grace@example.com", "agent"),
    "agent2": ("Alan Turing", "alan@example.com", "agent"),
}
_HOUR: Final = 3600.0
_DAY: Final = 86400.0

Json = dict[str, Any]


class _Sample:
    """Ids and times for one synthetic event; the same inputs always give the same ids."""

    def __init__(self, event_type: str, team_id: str, team_slug: str, now: float) -> None:
        self.event_type = event_type
        self.team_id = team_id
        self.team_slug = team_slug
        self.now = now
        self.created = event_type.endswith(".created")

    def hex(self, label: str) -> str:
        import hashlib

        seed = f"{self.team_id}|{self.now!r}|{label}".encode()
        return hashlib.sha256(seed).hexdigest()[:32]

    def uuid(self, label: str) -> str:
        h = self.hex(label)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def at(self, seconds_ago: float) -> str:
        return iso_time(self.now - seconds_ago)

    def stamps(self, age: float) -> Json:
        """``created_at``/``updated_at``: both now for a ``*.created`` event."""
        return {"created_at": self.at(0 if self.created else age), "updated_at": self.at(0)}

    def member_id(self, label: str) -> str:
        return "mem_" + self.hex(f"member:{label}")

    def member(self, label: str) -> Json:
        name, email, role = _MEMBERS[label]
        return {"member_id": self.member_id(label), "name": name, "email": email, "role": role}

    def customer_id(self) -> str:
        return "cus_" + self.hex("customer")

    def ticket_id(self, n: int = 0) -> str:
        return "tkt_" + self.hex(f"ticket:{n}")

    def customer(self) -> Json:
        return {
            "id": self.customer_id(),
            "name": "Jane Doe",
            "email": "jane.doe@example.com",
            "status": "active",
            "sentiment": "neutral",
            "tags": ["vip"],
            **self.stamps(30 * _DAY),
        }

    def ticket(self, status: str, *, priority: str = "high", assigned: bool = True) -> Json:
        ticket_id = self.ticket_id()
        number = 1000 + int(self.hex("ticket-number")[:4], 16) % 9000
        return {
            "id": ticket_id,
            "prefixed_id": f"CST-{number}",
            "title": "Checkout fails with “card declined” on a valid card",
            "status": status,
            "priority": priority,
            "channel": "widget",
            "customer_id": self.customer_id(),
            "customer_name": "Jane Doe",
            "assigned_to": self.member_id("agent") if assigned else None,
            "tags": ["billing", "checkout"],
            **self.stamps(2 * _HOUR),
            "dashboard_url": f"{DASHBOARD_BASE}/{self.team_slug}/tickets?selected={ticket_id}",
        }

    def ticket_event(self, status: str, assigned: bool = True, **extra: Any) -> Json:
        priority = "normal" if self.event_type == "ticket.created" else "high"
        ticket = self.ticket(status, priority=priority, assigned=assigned)
        return {"ticket": ticket, "customer": self.customer(), **extra}

    def message(self) -> Json:
        return {
            "id": "msg_" + self.hex("message"),
            "ticket_id": self.ticket_id(),
            "content": "I tried a second card and it failed too. Order #48213.",
            "sender": "customer",
            "sender_name": "Jane Doe",
            "is_internal": False,
            "created_at": self.at(0),
        }

    def customer_group(self) -> Json:
        return {
            "id": self.uuid("customer-group"),
            "name": "Acme Corp",
            "slug": "acme-corp",
            "description": "Enterprise account, priority support.",
            "external_id": "zd_org_1042",
            "customer_count": 12,
            **self.stamps(90 * _DAY),
        }

    def article(self, status: str) -> Json:
        published = status == "published"
        return {
            "id": "art_" + self.hex("article"),
            "title": "How to update your billing details",
            "slug": "update-billing-details",
            "status": status,
            "is_public": published,
            "category_id": "cat_" + self.hex("category"),
            "category": "Billing",
            "published_at": self.at(0) if published else None,
            **self.stamps(7 * _DAY),
        }

    def team(self) -> Json:
        return {"id": self.team_id, "name": "Acme Support", "slug": self.team_slug}

    def boss(self, *, hp: int, status: str) -> Json:
        spawned_ago = 0.0 if status == "active" and hp == 200 else 40 * 60.0
        return {
            "id": self.uuid("boss"),
            "name": "The SLA Hydra",
            "status": status,
            "hp": hp,
            "max_hp": 200,
            "ticket_ids": [self.ticket_id(0), self.ticket_id(1)],
            "spawned_at": self.at(spawned_ago),
            "expires_at": self.at(spawned_ago - _HOUR),
            "defeated_at": self.at(0) if status == "defeated" else None,
        }

    def player(self, *, level: int = 5, xp: int = 860) -> Json:
        member = self.member("agent")
        return {
            "member_id": member["member_id"],
            "name": member["name"],
            "level": level,
            "xp": xp,
            "xp_to_next_level": _xp_for_level(level + 1) - xp,
            "gold": 340,
            "season": "2026-Q2",
            "streak": {"current": 7, "max": 12},
        }

    def post(self, status: str = "open") -> Json:
        return {
            "id": self.uuid("post"),
            "title": "Dark mode for the customer portal",
            "slug": "dark-mode-for-the-customer-portal",
            "body": "Our users work late; a dark theme for the portal would help a lot.",
            "topic_id": self.uuid("topic"),
            "status": status,
            "visibility": "public",
            "author_name": "Jane Doe",
            "vote_count": 14,
            "comment_count": 3,
            "is_pinned": False,
            "is_locked": False,
            **self.stamps(3 * _DAY),
        }


def _xp_for_level(level: int) -> int:
    """Total XP to reach ``level`` (D19: level n+1 needs round(100·n^1.5))."""
    return 0 if level <= 1 else round(100 * (level - 1) ** 1.5)


def _change(before: Any, after: Any) -> Json:
    return {"from": before, "to": after}


def _social(s: _Sample, message: str, xp: int) -> Json:
    return {
        "from_member": s.member("agent2"),
        "to_member": s.member("agent"),
        "message": message,
        "ticket_id": s.ticket_id(),
        "xp_awarded": xp,
        "sent_at": s.at(0),
    }


_SAMPLES: Final[dict[str, Callable[[_Sample], Json]]] = {
    "ticket.created": lambda s: s.ticket_event("new", assigned=False),
    "ticket.updated": lambda s: s.ticket_event(
        "open", changes={"status": _change("new", "open"), "priority": _change("normal", "high")}
    ),
    "ticket.closed": lambda s: s.ticket_event(
        "resolved", changes={"status": _change("open", "resolved")}
    ),
    "ticket.message_added": lambda s: s.ticket_event("open", message=s.message()),
    "ticket.deleted": lambda s: s.ticket_event("closed"),
    "ticket.assigned": lambda s: s.ticket_event(
        "open", changes={"assigned_to": _change(None, s.member_id("agent"))}
    ),
    "customer.created": lambda s: {"customer": s.customer()},
    "customer.updated": lambda s: {
        "customer": s.customer(),
        "changes": {"tags": _change([], ["vip"])},
    },
    "customer.deleted": lambda s: {"customer": s.customer()},
    "customer_group.created": lambda s: {"customer_group": s.customer_group()},
    "customer_group.updated": lambda s: {
        "customer_group": s.customer_group(),
        "changes": {"name": _change("Acme", "Acme Corp")},
    },
    "customer_group.deleted": lambda s: {"customer_group": s.customer_group()},
    "article.created": lambda s: {"article": s.article("draft")},
    "article.published": lambda s: {"article": s.article("published")},
    "article.updated": lambda s: {
        "article": s.article("published"),
        "changes": {
            "title": _change("Updating billing details", "How to update your billing details")
        },
    },
    "article.deleted": lambda s: {"article": s.article("draft")},
    "team.preferences_updated": lambda s: {
        "team": s.team(),
        "updated_by": s.member("owner"),
        "changes": {
            "business_hours_only": _change(False, True),
            "timezone": _change("UTC", "Europe/Berlin"),
        },
    },
    "agent.preferences_updated": lambda s: {
        "member": s.member("agent"),
        "changes": {"theme": _change("light", "dark"), "email_notifications": _change(True, False)},
    },
    "boss.spawned": lambda s: {"boss": s.boss(hp=200, status="active")},
    "boss.damaged": lambda s: {
        "boss": s.boss(hp=100, status="active"),
        "damage": 100,
        "ticket_id": s.ticket_id(0),
        "member": s.member("agent"),
        "xp_awarded": 50,
    },
    "boss.defeated": lambda s: {
        "boss": s.boss(hp=0, status="defeated"),
        "damage": 100,
        "ticket_id": s.ticket_id(1),
        "final_blow": s.member("agent2"),
        "xp_awarded": 150,
        "gold_awarded": 50,
    },
    "player.level_up": lambda s: {
        "player": s.player(level=5, xp=810),
        "old_level": 4,
        "new_level": 5,
    },
    "player.achievement_unlocked": lambda s: {
        "player": s.player(),
        "achievement": {
            "key": "streak_7_days",
            "name": "On a Roll",
            "description": "Resolve at least one ticket a day for 7 days in a row.",
            "unlocked_at": s.at(0),
        },
    },
    "player.xp_gained": lambda s: {
        "player": s.player(),
        "amount": 150,
        "reason": "ticket_closed",
        "ticket_id": s.ticket_id(),
        "sla_tier": "gold",
        "multiplier": 3,
    },
    "player.quest_completed": lambda s: {
        "player": s.player(),
        "quest": {
            "key": "daily_close_5",
            "name": "Five Before Five",
            "description": "Close 5 tickets in one day.",
            "progress": 5,
            "target": 5,
            "reward_xp": 100,
            "reward_gold": 20,
            "completed_at": s.at(0),
        },
    },
    "player.streak_milestone": lambda s: {"player": s.player(), "days": 7},
    "social.one_up_sent": lambda s: _social(s, "Great save on the refund ticket!", 10),
    "social.high_five_sent": lambda s: _social(s, "High five for clearing the queue!", 5),
    "community_post.created": lambda s: {"post": s.post()},
    "community_post.updated": lambda s: {
        "post": s.post(),
        "changes": {"title": _change("Dark mode?", "Dark mode for the customer portal")},
    },
    "community_post.status_changed": lambda s: {
        "post": s.post("planned"),
        "changes": {"status": _change("open", "planned")},
    },
    "community_post.commented": lambda s: {
        "post": s.post(),
        "comment": {
            "id": s.uuid("comment"),
            "body": "Planned for next quarter. Thanks for the suggestion!",
            "author_name": _MEMBERS["owner"][0],
            "is_official": True,
            "created_at": s.at(0),
        },
    },
    "community_post.deleted": lambda s: {"post": s.post()},
    "community_post.voted": lambda s: {
        "post": s.post(),
        "vote": {"value": 1, "voter_name": "Sam Rivera", "created_at": s.at(0)},
    },
    "survey.submitted": lambda s: {
        "survey": {
            "id": s.uuid("survey"),
            "ticket_id": s.ticket_id(),
            "customer_id": s.customer_id(),
            "rating": 5,
            "scale": 5,
            "comment": "Fast and friendly, thank you!",
            "submitted_at": s.at(0),
        },
        "customer": s.customer(),
    },
}


def sample_data(event_type: str, *, team_id: str, team_slug: str, now: float) -> dict[str, Any]:
    """A realistic synthetic ``data`` object for ``event_type`` (snake_case keys, D11).

    Ids are prefixed where D2 gives a prefix (``tkt_``, ``cus_``, ``art_``, ``msg_``, ``mem_`` +
    32 hex) and UUIDs elsewhere; the same inputs always give the same data. Unknown types, old
    names included, raise :class:`UnknownEventTypeError` with a suggestion.
    """
    build = _SAMPLES.get(event_type)
    if build is None:
        raise UnknownEventTypeError([event_type])
    return build(_Sample(event_type, team_id, team_slug, now))
