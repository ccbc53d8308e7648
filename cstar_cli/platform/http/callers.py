"""Who is calling (facts §1, D9, D25, D26): the principal of a request, before any route runs.

- Every route under ``/api/v1``: the key in ``Authorization: Bearer …`` (401 without one); a key of
  another team than the one in the path is 403 ``team_access_denied``.
- The public library, ``/api/library/{teamSlugOrId}/…`` (D25): no key needed. Without one the
  caller is *anonymous* and reads the team's live data; a key, if sent, must be valid and of that
  team, and picks the environment (``pk_test_…`` reads test data). An unknown team is a 404.
- The realtime stream, ``/api/v1/teams/{teamId}/realtime`` (D26): a browser's ``EventSource``
  cannot set headers, so the key may also come as ``?key=`` there (the request log redacts it).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

from cstar_cli.platform.http.auth import Principal, bearer_key
from cstar_cli.platform.http.errors import ApiError

if TYPE_CHECKING:
    from cstar_cli.platform.core import Platform

TEAM_PATH = re.compile(r"^/api/v1/teams/([^/]+)(?:/|$)")
LIBRARY_PATH = re.compile(r"^/api/library/([^/]+)(?:/|$)")
QUERY_KEY_PATH = re.compile(r"^/api/v1/teams/[^/]+/realtime$")
ANONYMOUS = "anonymous"
"""The ``key_type`` of a library caller without a key (rate limited per IP address)."""


def authorization(headers: dict[str, str], scope: MutableMapping[str, Any]) -> str | None:
    """The ``Authorization`` value, or ``Bearer <key>`` from ``?key=`` on a realtime stream."""
    header = headers.get("authorization")
    if header is not None or not QUERY_KEY_PATH.match(scope["path"]):
        return header
    query = scope.get("query_string", b"")
    if b"key=" not in query:
        return None
    keys = parse_qs(query.decode("latin-1")).get("key")
    return f"Bearer {keys[0]}" if keys else None


def identify(
    platform: Platform, headers: dict[str, str], scope: MutableMapping[str, Any]
) -> Principal:
    """The request's principal (anonymous on the library without a key), or the 401."""
    presented = authorization(headers, scope)
    library = LIBRARY_PATH.match(scope["path"])
    if library is not None and presented is None:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        team_id = _library_team(platform, library.group(1))
        return Principal(f"{ANONYMOUS}:{address}", team_id, ANONYMOUS, True, "")
    return platform.authenticate(bearer_key(presented))


def check_team(platform: Platform, principal: Principal, path: str) -> None:
    """The team a path names must be the key's (403 ``team_access_denied``)."""
    library = LIBRARY_PATH.match(path)
    match = TEAM_PATH.match(path)
    if library is not None:
        _same_team(principal, _library_team(platform, library.group(1)))
    elif match is not None:
        _same_team(principal, _uuid(match.group(1)))


def _library_team(platform: Platform, segment: str) -> str:
    reference = unquote(segment)
    team_id = find_team(platform, reference)
    if team_id is None:
        raise ApiError(404, "resource_missing", f"No team with slug or id '{reference}'.")
    return team_id


def find_team(platform: Platform, reference: str) -> str | None:
    """A team's id from its slug or its UUID (with or without dashes)."""
    row = platform.db.one(
        "SELECT id FROM teams WHERE id = ? OR slug = ?", (_uuid(reference) or "", reference)
    )
    return None if row is None else str(row["id"])


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _same_team(principal: Principal, team_id: str | None) -> None:
    if team_id != principal.team_id:
        raise ApiError.forbidden(
            "team_access_denied",
            "This API key does not belong to the requested team. "
            "Run 'cstar status' to see the key's team id.",
        )
