"""What ``cstar csat`` and ``cstar sla`` share: a window of time (``--since``/``--until``) on
the team's clock (D37)."""

from __future__ import annotations

from typing import Any

from cstar_cli.cli.commands.events import parse_time
from cstar_cli.cli.context import AppContext
from cstar_cli.wire.times import is_duration


def window(app: AppContext, since: str | None, until: str | None) -> dict[str, Any]:
    """``{since, until}`` for the API: durations (``7d``) back from the team's now, or
    ISO-8601 times; a bad value is a usage error (exit 2) before any call."""
    given = {name: text for name, text in (("since", since), ("until", until)) if text}
    params = {name: parse_time(text, f"--{name}") for name, text in given.items()}
    if any(is_duration(text) for text in given.values()):
        now = app.client().team_now()
        params = {name: parse_time(text, f"--{name}", now=now) for name, text in given.items()}
    return params
