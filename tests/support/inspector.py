"""The inspector as its page uses it (D48): trade a one-time link for a session token, then send
the token in ``X-Inspector-Token`` — what ``inspector.js`` does, for tests over sockets."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

HEADER = "X-Inspector-Token"


def link_token(link: str) -> str:
    """The one-time token of an inspector link (``…/?token=…``)."""
    [token] = parse_qs(urlsplit(link).query)["token"]
    return token


def trade(link: str) -> httpx.Response:
    """``POST /inspector/session`` with the link's token, from the inspector's own origin."""
    parts = urlsplit(link)
    origin = f"{parts.scheme}://{parts.netloc}"
    return httpx.post(
        f"{origin}/inspector/session",
        json={"link": link_token(link)},
        headers={"Origin": origin},
        timeout=10,
    )


def session_token(link: str) -> str:
    """The session token a page would keep after opening ``link``."""
    answer = trade(link)
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["data"]["token"]
    return token


def inspector_client(link: str) -> httpx.Client:
    """A client of the platform that opened ``link`` and sends its session token, like the page."""
    parts = urlsplit(link)
    base = f"{parts.scheme}://{parts.netloc}"
    return httpx.Client(base_url=base, headers={HEADER: session_token(link)}, timeout=10)
