"""Where things live: the local platform's default address and the link to a ticket.

A ticket's ``dashboard_url`` is the hosted dashboard's ticket view, except on a local platform,
where it is that platform's own stable ticket page, ``{apiBase}/tickets/{id}`` (D31).
"""

from __future__ import annotations

from typing import Final, NamedTuple

LOCAL_API_BASE: Final = "http://127.0.0.1:8642"
"""Where ``cstar dev`` serves by default."""
DASHBOARD_BASE: Final = "https://www.cstar.help/team"
"""The hosted dashboard, per team slug."""


def dashboard_url(ticket_id: str, team_slug: str, api_base: str | None = None) -> str:
    """Where a person opens the ticket: the hosted dashboard's ticket view, or — for a local
    platform serving at ``api_base`` — its stable ticket page (D31)."""
    if api_base:
        return f"{api_base.rstrip('/')}/tickets/{ticket_id}"
    return f"{DASHBOARD_BASE}/{team_slug}/tickets?selected={ticket_id}"


class TeamLinks(NamedTuple):
    """What a team's links are built from: its slug, and the local platform's base if any."""

    slug: str
    api_base: str | None = None

    def ticket(self, ticket_id: str) -> str:
        return dashboard_url(ticket_id, self.slug, self.api_base)
