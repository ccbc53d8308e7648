"""Social (D46): high-fives and one-ups between members of one team and environment.

``POST /game/social/high-fives {fromMemberId, toMemberId, message?}`` and ``POST
/game/social/one-ups {fromMemberId, toMemberId, ticketId?}``: never to oneself (400), at most
:data:`DAILY_LIMIT` of both together per sender and day of the team's time zone on the team clock
(409 ``daily_limit_reached``: a limit of the data, not of the request rate, so a client must not
retry it as it would a 429), refused while the team's game is off (409 ``gamification_disabled``).
Each fires ``social.high_five_sent`` / ``social.one_up_sent``; no XP is awarded (``xp_awarded``
0: the docs name no reward).
"""

from __future__ import annotations

from typing import Any, Final

from cstar_cli.platform import ids
from cstar_cli.platform.game.models import HighFiveCreate, OneUpCreate
from cstar_cli.platform.game.views import member_data
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.preferences import gamification_enabled, local, timezone_of
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.db import Row
from cstar_cli.wire.ids import HIGH_FIVE, ONE_UP

DAILY_LIMIT: Final = 10
KINDS: Final[dict[str, tuple[str, str]]] = {  # kind -> (id prefix, event type)
    "high_five": (HIGH_FIVE, "social.high_five_sent"),
    "one_up": (ONE_UP, "social.one_up_sent"),
}


def serialize(row: Row) -> dict[str, Any]:
    """A stored high-five or one-up on the wire."""
    prefix = KINDS[row["kind"]][0]
    return {
        "id": prefix + row["id"],
        "object": row["kind"],
        "fromMemberId": ids.MEMBER + row["from_member"],
        "toMemberId": ids.MEMBER + row["to_member"],
        "message": row["message"],
        "ticketId": ids.wire(ids.TICKET, row["ticket_id"]),
        "createdAt": row["created_at"],
    }


class Social(Service):
    """High-fives and one-ups of the caller's team and environment."""

    table = "social_sends"
    prefix = HIGH_FIVE
    param = "id"
    noun = "high-five"

    def high_five(self, body: HighFiveCreate) -> dict[str, Any]:
        return self._send("high_five", body.fromMemberId, body.toMemberId, body.message, None)

    def one_up(self, body: OneUpCreate) -> dict[str, Any]:
        return self._send("one_up", body.fromMemberId, body.toMemberId, None, body.ticketId)

    def _send(
        self, kind: str, from_id: str, to_id: str, message: str | None, ticket_id: str | None
    ) -> dict[str, Any]:
        principal = self.principal
        if not gamification_enabled(self.db, principal.team_id, principal.livemode):
            raise ApiError(
                409,
                "gamification_disabled",
                "The game is turned off for this team (gamificationEnabled: false in "
                "/team/preferences).",
            )
        sender = self.referenced("members", ids.MEMBER, "fromMemberId", from_id, noun="member")
        receiver = self.referenced("members", ids.MEMBER, "toMemberId", to_id, noun="member")
        if sender["id"] == receiver["id"]:
            raise ApiError.invalid(
                "A member cannot send themselves a high-five or a one-up.", param="toMemberId"
            )
        ticket = None
        if ticket_id is not None:
            ticket = self.referenced("tickets", ids.TICKET, "ticketId", ticket_id, noun="ticket")
        tz = timezone_of(self.db, principal.team_id, principal.livemode)
        day = local(self.now(), tz).date().isoformat()
        with self.transaction() as db:
            sent = db.one(
                "SELECT COUNT(*) AS n FROM social_sends WHERE from_member = ? AND day = ?",
                (sender["id"], day),
            )
            if sent is not None and int(sent["n"]) >= DAILY_LIMIT:
                raise ApiError(
                    409,
                    "daily_limit_reached",
                    f"{sender['name']} already sent {DAILY_LIMIT} high-fives and one-ups today "
                    f"({day}, team time zone); the limit resets at midnight.",
                    param="fromMemberId",
                )
            row = self.new_row(
                {
                    "kind": kind,
                    "from_member": sender["id"],
                    "to_member": receiver["id"],
                    "message": message,
                    "ticket_id": ticket["id"] if ticket else None,
                    "day": day,
                }
            )
            row.pop("updated_at")
            db.insert(self.table, row)
            prefix, event_type = KINDS[kind]
            self.emit(
                event_type,
                {
                    "id": prefix + row["id"],
                    "from_member": member_data(sender),
                    "to_member": member_data(receiver),
                    "message": message,
                    "ticket_id": ids.wire(ids.TICKET, row["ticket_id"]),
                    "xp_awarded": 0,
                    "sent_at": row["created_at"],
                },
            )
        return serialize(row)
