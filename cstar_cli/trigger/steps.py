"""The parts fixtures are made of: a :class:`Step` (one API call) and a :class:`Fixture` (the
steps that make one event happen), and the steps most fixtures start from.

A fixture family lives in its own ``fixtures_<family>.py`` module built from these;
:mod:`cstar_cli.trigger.fixtures` gathers them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

REFERENCE: Final = re.compile(r"\$\{([A-Za-z_][\w-]*(?:\.[\w-]+)*)\}")
RUN_STEP: Final = "run"


@dataclass(frozen=True)
class Step:
    """One API call of a fixture; ``path`` is relative to the team."""

    name: str
    method: str
    path: str
    body: Mapping[str, Any] | None = None
    params: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Fixture:
    """The steps that make ``event`` happen; ``clock`` says how far its steps move the team's
    test clock forward (seconds, 0 for none): such a fixture refuses an environment that already
    holds tickets unless told otherwise (D47), as the move would touch their SLAs too."""

    event: str
    steps: tuple[Step, ...]
    clock: float = 0.0


# -- steps most fixtures start from ---------------------------------------------------------------

CUSTOMER = Step(
    "customer",
    "POST",
    "/customers",
    {
        "name": "Jane Doe",
        "email": "jane.doe+${run.id}@example.com",
        "tags": ["cstar-fixture"],
    },
)
TICKET = Step(
    "ticket",
    "POST",
    "/tickets",
    {
        "title": "Checkout fails with “card declined” on a valid card",
        "priority": "high",
        "customerId": "${customer.id}",
        "channel": "widget",
        "tags": ["cstar-fixture"],
    },
)
ARTICLE = Step(
    "article",
    "POST",
    "/articles",
    {
        "title": "How to reset your password",
        "content": "Open **Settings → Security** and choose *Reset password*.",
        "excerpt": "Reset a forgotten password in two clicks.",
        "status": "draft",
        "tags": ["cstar-fixture"],
    },
)
TICKET_PATH = "/tickets/${ticket.id}"
CUSTOMER_PATH = "/customers/${customer.id}"
ARTICLE_PATH = "/articles/${article.id}"
