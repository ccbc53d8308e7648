"""Inspector links and sessions (D31, D48): one-time tokens traded for a session token.

A *link* is a one-time token minted with a secret key (``POST …/inspector/links``, or the
``Inspector`` line of ``cstar dev``). The page that opens it trades it (``POST
/inspector/session``) for a *session token*, which the page keeps in ``localStorage`` and sends
as a header with every data and action request — never a cookie, since browsers send a
127.0.0.1 cookie to every port of that host (D48). The key stays here, in memory, never in a
page; the session shows that key's team and environment. The session ends after 12 hours, when
the key stops working (revoked, rolled without grace, expired: D28) — every use checks the key
again — or when the platform stops (sessions are not stored). Both lifetimes are real time
(D37), whatever the team's test clock says.

Standard library only: the platform creates this store at start-up.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cstar_cli.platform.core import Platform
    from cstar_cli.platform.http.auth import Principal

LINK_TTL = 24 * 3600.0
"""How long an unused link stays valid (the ``cstar dev`` ready line's link lasts a work day)."""
SESSION_TTL = 12 * 3600.0
"""How long a session token works (D48), however busy it is."""
MAX_LINKS = 1000
MAX_SESSIONS = 1000
ENDED = {
    "invalid_api_key": "The API key that opened this inspector was revoked, so its session ended.",
    "key_expired": "The API key that opened this inspector has expired, so its session ended.",
    "expired": "This inspector session is 12 hours old, so it ended.",
    "logout": "You logged out of the inspector.",
}


class InspectorRefused(Exception):
    """No session: the link was used or expired, or the key behind it stopped working."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Link:
    key: str
    expires_at: float


@dataclass(eq=False)
class Session:
    """One browser's inspector session."""

    id: str
    """The session token (kept by the page; here only as a digest key)."""
    key: str
    principal: Principal
    expires_at: float
    whoami: dict[str, Any] | None = None
    """The key's ``whoami`` (team name, environment), fetched once for the page header."""
    closers: list[Callable[[str], None]] = field(default_factory=list)
    """Called with a reason when the session ends (live streams close at once)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InspectorSessions:
    """Links and sessions of one platform (``platform.inspector``)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._links: dict[str, Link] = {}
        self._sessions: dict[str, Session] = {}
        self._ended: dict[str, str] = {}  # why recent sessions ended, for their 401 page

    def mint(self, key: str) -> tuple[str, float]:
        """A new one-time token for a secret key: ``(token, expires_at)``.

        Raises ``ApiError`` when the key does not work (the caller checked it already).
        """
        principal = self.platform.authenticate(key)
        if not principal.is_secret:
            raise ValueError("inspector links are minted with secret keys")
        now = self.platform.now()
        self._links = {h: link for h, link in self._links.items() if link.expires_at > now}
        while len(self._links) >= MAX_LINKS:
            del self._links[next(iter(self._links))]
        token = secrets.token_urlsafe(32)
        expires_at = now + LINK_TTL
        self._links[_digest(token)] = Link(key, expires_at)
        return token, expires_at

    def redeem(self, token: str) -> Session:
        """Trade a link's token for a new session (once); ``InspectorRefused`` otherwise."""
        link = self._links.pop(_digest(token), None)
        if link is None or link.expires_at <= self.platform.now():
            raise InspectorRefused(
                "link_used",
                "This inspector link was already used or has expired: links work once.",
            )
        principal = self._check_key(link.key)
        while len(self._sessions) >= MAX_SESSIONS:
            self.end(next(iter(self._sessions)), "replaced")
        expires_at = self.platform.now() + SESSION_TTL
        session = Session(secrets.token_urlsafe(32), link.key, principal, expires_at)
        self._sessions[_digest(session.id)] = session
        forget = self.platform.key_streams.register(
            principal, lambda end: self._key_ended(session, end.reason)
        )
        session.closers.append(lambda _: forget())
        return session

    def session(self, session_id: str | None) -> Session:
        """The live session of a session token, its age and key checked again (D28, D48)."""
        session = self._sessions.get(_digest(session_id)) if session_id else None
        if session is None:
            why = self._ended.get(_digest(session_id)) if session_id else None
            raise InspectorRefused("no_session", why or "This browser has no inspector session.")
        if session.expires_at <= self.platform.now():
            self.end(session.id, "expired")
            raise InspectorRefused("expired", ENDED["expired"])
        try:
            session.principal = self._check_key(session.key)
        except InspectorRefused as err:
            self.end(session.id, err.reason)
            raise
        return session

    def end(self, session_id: str, reason: str) -> None:
        digest = _digest(session_id)
        session = self._sessions.pop(digest, None)
        if session is None:
            return
        while len(self._ended) >= MAX_SESSIONS:
            del self._ended[next(iter(self._ended))]
        self._ended[digest] = ENDED.get(reason, "This inspector session has ended.")
        for close in session.closers:
            close(reason)

    def count(self) -> int:
        return len(self._sessions)

    async def _key_ended(self, session: Session, reason: str) -> None:
        self.end(session.id, reason)

    def _check_key(self, key: str) -> Principal:
        from cstar_cli.platform.http.errors import ApiError

        try:
            return self.platform.authenticate(key)
        except ApiError as err:
            reason = "key_expired" if err.code == "key_expired" else "invalid_api_key"
            raise InspectorRefused(reason, ENDED[reason]) from None
