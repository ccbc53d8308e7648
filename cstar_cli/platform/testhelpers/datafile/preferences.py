"""Preferences and social (D46) in a data file (D34): ``teamPreferences`` (one object, always
written), ``memberPreferences`` (the members who changed theirs, by email) and ``social`` (the
high-fives and one-ups, members by email).

Quest progress is not written: like XP it is game state a load does not recompute or restore.
A load checks each object with the API's own rules (an IANA ``timezone``, business hours that end
after they start, members that exist, never oneself) and stores it without events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from cstar_cli.platform import ids
from cstar_cli.platform.game.social import KINDS
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.preferences import (
    local,
    member_row,
    store_member,
    store_team,
    team_row,
    timezone_of,
)
from cstar_cli.platform.resources.models import Input
from cstar_cli.platform.resources.preferences.models import (
    MemberPreferencesUpdate,
    TeamPreferencesUpdate,
)
from cstar_cli.platform.resources.preferences.service import (
    member_after,
    member_values,
    team_after,
    team_values,
)
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.testhelpers.datafile.problems import (
    DataFileError,
    Path,
    a_list,
    an_object,
    validated,
)
from cstar_cli.platform.testhelpers.datafile.tickets import member_of
from cstar_cli.platform.testhelpers.guard import TEST_SCOPE
from cstar_cli.wire.enums import SocialKind
from cstar_cli.wire.times import parse_iso

if TYPE_CHECKING:
    from cstar_cli.platform.testhelpers.datafile.load import Loader


class SocialEntry(Input):
    """One high-five or one-up of a data file (members by email or id)."""

    type: SocialKind
    fromMemberId: str = Field(min_length=1, max_length=254)
    toMemberId: str = Field(min_length=1, max_length=254)
    message: str | None = Field(None, max_length=500)
    ticketId: str | None = None


# -- export ---------------------------------------------------------------------------------------
def export_extras(db: Database, team_id: str, emails: dict[str, str]) -> dict[str, Any]:
    """``memberPreferences``, ``social`` and ``teamPreferences`` of the team's test environment."""
    team = team_values(team_row(db, team_id, False))
    members = db.all(
        f"SELECT * FROM member_preferences WHERE {TEST_SCOPE} ORDER BY rowid", (team_id,)
    )
    sends = db.all(f"SELECT * FROM social_sends WHERE {TEST_SCOPE} ORDER BY rowid", (team_id,))
    return {
        "memberPreferences": [
            {
                "member": emails.get(row["member_id"]),
                "notifications": member_values(row)["notifications"],
                "theme": row["theme"],
                "soundEffects": bool(row["sound_effects"]),
            }
            for row in members
        ],
        "social": [
            {
                "id": KINDS[row["kind"]][0] + row["id"],
                "type": row["kind"],
                "fromMemberId": emails.get(row["from_member"]),
                "toMemberId": emails.get(row["to_member"]),
                "message": row["message"],
                "ticketId": ids.wire(ids.TICKET, row["ticket_id"]),
                "createdAt": row["created_at"],
            }
            for row in sends
        ],
        "teamPreferences": {
            "timezone": team["timezone"],
            "businessHours": team["business_hours"],
            "gamificationEnabled": team["gamification_enabled"],
            "defaultPriority": team["default_priority"],
        },
    }


# -- load -----------------------------------------------------------------------------------------
def load_extras(loader: Loader, doc: dict[str, Any]) -> None:
    """The team's preferences, then members' preferences, then high-fives and one-ups."""
    if "teamPreferences" in doc:
        _team(loader, doc["teamPreferences"])
    seen: dict[str, int] = {}
    for index, item in enumerate(a_list(doc.get("memberPreferences", []), ("memberPreferences",))):
        _member(loader, index, item, seen)
    for index, item in enumerate(a_list(doc.get("social", []), ("social",))):
        _social(loader, index, item)


def _apply(path: Path, change: Any) -> dict[str, Any]:
    """What the API's rule ``change`` gives; its 400 as this file's error at the field."""
    try:
        result: dict[str, Any] = change()
    except ApiError as err:
        where = (*path, *(err.param or "").split(".")) if err.param else path
        raise DataFileError(where, err.message) from None
    return result


def _team(loader: Loader, item: Any) -> None:
    path: Path = ("teamPreferences",)
    obj = an_object(item, path, "team preferences")
    body = validated(TeamPreferencesUpdate, obj, path, "team preferences")
    before = team_values(team_row(loader.db, loader.team_id, False))
    after = _apply(path, lambda: team_after(before, body))
    store_team(loader.db, loader.team_id, False, after, loader.stamp)
    loader.count("teamPreferences")


def _member(loader: Loader, index: int, item: Any, seen: dict[str, int]) -> None:
    path: Path = ("memberPreferences", index)
    obj = an_object(item, path, "member's preferences")
    reference = obj.get("member")
    if not isinstance(reference, str) or not reference:
        raise DataFileError((*path, "member"), "missing: the member's email (or mem_ id).")
    member_id = member_of(loader, reference, (*path, "member"))
    if member_id in seen:
        raise DataFileError(
            (*path, "member"), f"memberPreferences[{seen[member_id]}] already names this member."
        )
    seen[member_id] = index
    body = validated(
        MemberPreferencesUpdate,
        {k: v for k, v in obj.items() if k != "member"},
        path,
        "member's preferences",
    )
    member = _row(loader.db, "members", member_id)
    before = member_values(member_row(loader.db, member))
    store_member(loader.db, member, member_after(before, body), loader.stamp)
    loader.count("memberPreferences")


def _social(loader: Loader, index: int, item: Any) -> None:
    path: Path = ("social", index)
    body, own = loader.fields(item, path, "social", own=("id", "createdAt"))
    valid = validated(SocialEntry, body, path, "high-five or one-up")
    sender = member_of(loader, valid.fromMemberId, (*path, "fromMemberId"))
    receiver = member_of(loader, valid.toMemberId, (*path, "toMemberId"))
    if sender == receiver:
        raise DataFileError((*path, "toMemberId"), "a member cannot send themselves one.")
    ticket = None
    if valid.ticketId is not None:
        where = (*path, "ticketId")
        ticket = loader.parse(valid.ticketId, ids.TICKET, where)
        found = loader.db.one(
            f"SELECT id FROM tickets WHERE {TEST_SCOPE} AND id = ?", (loader.team_id, ticket)
        )
        if found is None:
            raise DataFileError(where, f"no ticket with id '{valid.ticketId}' in the file.")
    prefix = KINDS[valid.type][0]
    hex_id = loader.take_id(own, path, prefix, "social_sends")
    created = loader.time(own, "createdAt", path) or loader.stamp
    tz = timezone_of(loader.db, loader.team_id, False)
    row = {
        "id": hex_id,
        "team_id": loader.team_id,
        "livemode": 0,
        "kind": valid.type,
        "from_member": sender,
        "to_member": receiver,
        "message": valid.message,
        "ticket_id": ticket,
        "day": local(parse_iso(created), tz).date().isoformat(),
        "created_at": created,
    }
    loader.insert("social_sends", row, path)
    loader.count("social")


def _row(db: Database, table: str, hex_id: str) -> Row:
    row = db.one(f"SELECT * FROM {table} WHERE id = ?", (hex_id,))
    assert row is not None
    return row
