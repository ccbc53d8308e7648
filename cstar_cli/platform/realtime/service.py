"""What ``GET /realtime`` opens (D26): a stream of the caller's team and environment, through the
view its key (and verified identity, D23) may see, live or resuming after an event."""

from __future__ import annotations

from collections.abc import Sequence

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.realtime.hub import Stream
from cstar_cli.platform.realtime.view import view_for
from cstar_cli.platform.resources.service import Caller


class Realtime:
    """The realtime streams of the caller."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.principal = caller.principal
        self.db = caller.work.db
        self.hub = caller.platform.realtime

    def open(self, patterns: Sequence[str], resume: str | None) -> Stream:
        """A stream of the events ``patterns`` match, after the event ``resume`` (or from now);
        an event that is not the caller's to resume after is a 400."""
        view = view_for(self.principal, self.caller.identity, patterns, self.member_name)
        try:
            return self.hub.open(self.principal.team_id, self.principal.livemode, view, resume)
        except LookupError:
            raise ApiError.invalid(
                f"No event '{resume}' in this team and environment to resume after.",
                param="Last-Event-ID",
            ) from None

    def member_name(self, member_hex: str) -> str | None:
        """A member's display name (what a portal sees instead of the assignee's id)."""
        row = self.db.one("SELECT name FROM members WHERE id = ?", (member_hex,))
        return None if row is None else str(row["name"])
