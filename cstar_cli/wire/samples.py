"""Synthetic event data for ``cstar trigger`` and ``trigger-test``: one builder per event type.

Realistic, snake_case (D11), deterministic: the same team, slug and time always give the same ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from cstar_cli.wire import ids
from cstar_cli.wire.catalog import UnknownEventTypeError
from cstar_cli.wire.links import dashboard_url
from cstar_cli.wire.times import iso

_MEMBERS: Final = {  # label -> (name, email, role); the local platform seeds the same three
    "owner": ("Ada Lovelace", "ada@example.com", "owner"),
    "agent": ("Grace Hopper", "grace@example.com", "agent"),
    "agent2": ("Alan Turing", "alan@example.com", "agent"),
}
_HOUR: Final = 3600.0
_DAY: Final = 86400.0

Json = dict[str, Any]


@dataclass(frozen=True)
class _Sample:
    """Ids and times for one synthetic event; the same inputs always give the same ids."""

    event_type: str
    team_id: str
    team_slug: str
    now: float
    api_base: str | None

    @property
    def created(self) -> bool:
        return self.event_type.endswith(".created")

    def hex(self, label: str) -> str:
        import hashlib

        seed = f"{self.team_id}|{self.now!r}|{label}".encode()
        return hashlib.sha256(seed).hexdigest()[:32]

    def uuid(self, label: str) -> str:
        h = self.hex(label)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def at(self, seconds_ago: float) -> str:
        return iso(self.now - seconds_ago)

    def stamps(self, age: float) -> Json:
        """``created_at``/``updated_at``: both now for a ``*.created`` event."""
        return {"created_at": self.at(0 if self.created else age), "updated_at": self.at(0)}

    def member_id(self, label: str) -> str:
        return ids.MEMBER + self.hex(f"member:{label}")

    def member(self, label: str) -> Json:
        name, email, role = _MEMBERS[label]
        return {"member_id": self.member_id(label), "name": name, "email": email, "role": role}

    def customer_id(self) -> str:
        return ids.CUSTOMER + self.hex("customer")

    def ticket_id(self, n: int = 0) -> str:
        return ids.TICKET + self.hex(f"ticket:{n}")

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
            "dashboard_url": dashboard_url(ticket_id, self.team_slug, self.api_base),
        }

    def ticket_event(self, status: str, assigned: bool = True, **extra: Any) -> Json:
        priority = "normal" if self.event_type == "ticket.created" else "high"
        ticket = self.ticket(status, priority=priority, assigned=assigned)
        return {"ticket": ticket, "customer": self.customer(), **extra}

    def message(self) -> Json:
        return {
            "id": ids.MESSAGE + self.hex("message"),
            "ticket_id": self.ticket_id(),
            "content": "I tried a second card and it failed too. Order #48213.",
            "sender": "customer",
            "sender_name": "Jane Doe",
            "is_internal": False,
            "created_at": self.at(0),
        }

    def customer_group(self) -> Json:
        return {
            "id": ids.CUSTOMER_GROUP + self.hex("customer-group"),
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
            "id": ids.ARTICLE + self.hex("article"),
            "title": "How to update your billing details",
            "slug": "update-billing-details",
            "status": status,
            "is_public": published,
            "category_id": ids.CATEGORY + self.hex("category"),
            "category": "Billing",
            "published_at": self.at(0) if published else None,
            **self.stamps(7 * _DAY),
        }

    def team(self) -> Json:
        return {"id": self.team_id, "name": "Acme Support", "slug": self.team_slug}

    def boss(self, *, hp: int, status: str) -> Json:
        spawned_ago = 0.0 if status == "active" and hp == 200 else 40 * 60.0
        return {
            "id": ids.BOSS + self.hex("boss"),
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
            "id": ids.POST + self.hex("post"),
            "title": "Dark mode for the customer portal",
            "slug": "dark-mode-for-the-customer-portal",
            "body": "Our users work late; a dark theme for the portal would help a lot.",
            "topic_id": ids.TOPIC + self.hex("topic"),
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


def _social(s: _Sample, prefix: str, message: str | None) -> Json:
    return {
        "id": prefix + s.hex("social"),
        "from_member": s.member("agent2"),
        "to_member": s.member("agent"),
        "message": message,
        "ticket_id": s.ticket_id() if prefix == ids.ONE_UP else None,
        "xp_awarded": 0,
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
        "preferences": {
            "timezone": "Europe/Berlin",
            "business_hours": {
                "enabled": True,
                "days": ["mon", "tue", "wed", "thu", "fri"],
                "start": "09:00",
                "end": "17:00",
            },
            "gamification_enabled": True,
            "default_priority": "normal",
        },
        "updated_by": None,
        "changes": {"timezone": _change("UTC", "Europe/Berlin")},
    },
    "agent.preferences_updated": lambda s: {
        "member": s.member("agent"),
        "preferences": {
            "notifications": {"email": False, "desktop": True, "mobile": True},
            "theme": "dark",
            "sound_effects": True,
        },
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
            "key": "daily_close_3",
            "name": "Hat Trick",
            "description": "Close 3 tickets today.",
            "period": "daily",
            "progress": 3,
            "target": 3,
            "reward_xp": 50,
            "reward_gold": 10,
            "completed_at": s.at(0),
        },
    },
    "player.streak_milestone": lambda s: {"player": s.player(), "days": 7},
    "social.one_up_sent": lambda s: _social(s, ids.ONE_UP, None),
    "social.high_five_sent": lambda s: _social(
        s, ids.HIGH_FIVE, "High five for clearing the queue!"
    ),
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
            "id": ids.COMMENT + s.hex("comment"),
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
            "id": ids.SURVEY + s.hex("survey"),
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


def sample_data(
    event_type: str, *, team_id: str, team_slug: str, now: float, api_base: str | None = None
) -> dict[str, Any]:
    """A realistic synthetic ``data`` object for ``event_type`` (snake_case keys, D11); a local
    platform passes its ``api_base`` for its own ``dashboard_url``.

    Ids are prefixed where D2 gives a prefix (``tkt_``, ``cus_``, ``art_``, ``msg_``, ``mem_`` +
    32 hex) and UUIDs elsewhere; the same inputs always give the same data. Unknown types, old
    names included, raise :class:`UnknownEventTypeError` with a suggestion.
    """
    build = _SAMPLES.get(event_type)
    if build is None:
        raise UnknownEventTypeError([event_type])
    return build(_Sample(event_type, team_id, team_slug, now, api_base))
