"""Data files (D34): one versioned JSON document for seeds, exports and imports.

``{"cstarData": 1, "members": [...], "customers": [...], "categories": [...], "articles": [...],
"tickets": [... with "messages"], "webhooks": [...], "slaRules": [...],
"customerGroups": [... with "customerIds"], "memberPreferences": [...], "social": [...],
"teamPreferences": {...}}``: the objects in their
wire form (camelCase), without platform-specific values (team id, secrets, keys) and without the
fields a load recomputes (counts, SLA deadlines and tiers, XP). The platform reads and writes
it (``cstar_cli.platform.testhelpers.datafile``); the CLI and the client move it around. Both
write it with :func:`render`, so an export is the same bytes wherever it was made.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "cstarData"
VERSION = 1
RESOURCES = (
    "members",
    "customers",
    "categories",
    "articles",
    "tickets",
    "webhooks",
    "slaRules",
    "customerGroups",
    "memberPreferences",
    "social",
)
"""The document's lists, in the order an export writes them."""
SECTIONS = ("community", "csat")
"""Objects of their own after the lists, each written only when the environment holds some of
it: ``community`` (D43: ``topics``, ``posts`` with their ``comments`` and ``votes``, snake_case)
and ``csat`` (D44: ``settings``, ``surveys``)."""
SECTION_LISTS = {
    "community": {"topics": "communityTopics", "posts": "communityPosts"},
    "csat": {"surveys": "csatSurveys"},
}
OBJECTS = ("teamPreferences",)
"""The document's single objects (after the lists): the team's preferences (D46)."""


def render(document: Any) -> str:
    """The canonical text of a document: two-space indents, keys in their order, UTF-8 as is,
    one trailing newline (export → import → export gives the same bytes)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def counts(document: Any) -> dict[str, int]:
    """How many objects each list of a document holds (messages after their tickets)."""
    found: dict[str, int] = {}
    if not isinstance(document, dict):
        return found
    for name in RESOURCES:
        items = document.get(name)
        if isinstance(items, list) and items:
            found[name] = len(items)
        if name == "tickets" and isinstance(items, list):
            messages = sum(
                len(ticket["messages"])
                for ticket in items
                if isinstance(ticket, dict) and isinstance(ticket.get("messages"), list)
            )
            if messages:
                found["messages"] = messages
    for section, lists in SECTION_LISTS.items():
        part = document.get(section)
        for name, counted in lists.items():
            items = part.get(name) if isinstance(part, dict) else None
            if isinstance(items, list) and items:
                found[counted] = len(items)
    return found


def describe(tally: dict[str, int]) -> str:
    """``3 customers, 1 ticket, 4 SLA rules`` (``nothing`` when empty)."""
    parts = []
    for name, n in tally.items():
        one, many = NAMES.get(name, (name, name))
        parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts) or "nothing"


NAMES = {
    "members": ("member", "members"),
    "customers": ("customer", "customers"),
    "categories": ("category", "categories"),
    "articles": ("article", "articles"),
    "tickets": ("ticket", "tickets"),
    "messages": ("message", "messages"),
    "webhooks": ("webhook", "webhooks"),
    "slaRules": ("SLA rule", "SLA rules"),
    "communityTopics": ("community topic", "community topics"),
    "communityPosts": ("community post", "community posts"),
    "communityComments": ("community comment", "community comments"),
    "communityVotes": ("community vote", "community votes"),
    "csatSettings": ("CSAT setting", "CSAT settings"),
    "csatSurveys": ("CSAT survey", "CSAT surveys"),
    "memberPreferences": ("member's preferences", "members' preferences"),
    "social": ("high-five or one-up", "high-fives and one-ups"),
    "teamPreferences": ("team preferences", "team preferences"),
    "customerGroups": ("customer group", "customer groups"),
}
