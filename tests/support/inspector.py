"""The inspector as its page uses it (D48): mint a one-time link with a key, trade it for a
session token, then send the token in ``X-Inspector-Token`` — what ``inspector.js`` does, for
tests over sockets."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from cstar_cli.platform.runner import PlatformThread

HEADER = "X-Inspector-Token"


def team_api(server: PlatformThread, key: str | None = None) -> httpx.Client:
    """A client of the seed team's API, with ``key`` (default: the test secret key)."""
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {key or server.keys.secret_key}"},
        timeout=10,
    )


def new_link(server: PlatformThread, key: str | None = None) -> str:
    """A fresh inspector link, minted with ``key`` (``POST /inspector/links``)."""
    with team_api(server, key) as client:
        response = client.post("/inspector/links")
    assert response.status_code == 201, response.text
    url: str = response.json()["data"]["url"]
    return url


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
