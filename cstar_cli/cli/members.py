"""Member names for tables: ``mem_…`` ids shown as people's names, without a request per row.

The team's member list is cached per profile in the cache dir (``members-<profile>.json``, 0600),
tied to the API base and team it came from. It is fetched again only when a list shows an id
the cache does not know (a new member), and then once for the whole list. A key that may not
read members (a publishable key) just leaves the ids as they are.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cstar_cli.cli.config import cache_dir

if TYPE_CHECKING:
    from cstar_cli.client.clients import CstarClient


class MemberNames:
    """``names(ids)`` → ``{id: name}`` for every id it can name."""

    def __init__(self, client: CstarClient, profile: str, api_base: str) -> None:
        self.client = client
        self.scope = {"apiBase": api_base, "teamId": client.team_id}
        self.path: Path = cache_dir() / f"members-{profile}.json"

    def names(self, ids: Iterable[str | None]) -> dict[str, str]:
        wanted = {i for i in ids if isinstance(i, str) and i}
        known = self._load()
        if wanted - set(known):
            known = self._refresh() or known
        return {i: known[i] for i in wanted if i in known}

    def _load(self) -> dict[str, str]:
        from cstar_cli.platform.store.files import read_private

        try:
            data = json.loads(read_private(self.path) or b"null")
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("scope") != self.scope:
            return {}
        members = data.get("members")
        return {str(k): str(v) for k, v in members.items()} if isinstance(members, dict) else {}

    def _refresh(self) -> dict[str, str] | None:
        from cstar_cli.client.errors import CstarAPIError
        from cstar_cli.platform.store.files import write_private

        try:
            members = list(self.client.members.iter_all({}))
        except CstarAPIError:
            return None
        known = {str(m["id"]): str(m.get("name") or m["id"]) for m in members if m.get("id")}
        body = json.dumps({"scope": self.scope, "members": known}, ensure_ascii=False)
        with contextlib.suppress(OSError):  # a cache that can't be written is only slower
            write_private(self.path, body.encode())
        return known


def member_names(app: Any, ids: Sequence[Any]) -> dict[str, str]:
    """Names for the member ids among ``ids``, from the profile's member cache (a publishable
    key may not read members: its tables keep the ids)."""
    if app.require_key().api_key.startswith("pk_"):
        return {}
    base, _ = app.api_base()
    return MemberNames(app.client(), app.profile_name, base).names(ids)


def list_names(
    app: Any, noun: str, items: Sequence[dict[str, Any]], *, json_output: bool
) -> dict[str, str]:
    """The names a list's table shows: the assignees of tickets (``--json`` shows ids)."""
    from cstar_cli.cli.render import ROWS

    if json_output or noun not in ROWS or not items:
        return {}
    return member_names(app, [t.get("assignedTo") for t in items])


def item_names(app: Any, item: Any, *, json_output: bool) -> dict[str, str]:
    """The name one object's detail view shows: its assignee's (``--json`` shows the id)."""
    assignee = item.get("assignedTo") if isinstance(item, dict) else None
    if json_output or not (isinstance(assignee, str) and assignee.startswith("mem_")):
        return {}
    return member_names(app, [assignee])
