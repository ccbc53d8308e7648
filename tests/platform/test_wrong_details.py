"""The four wrong details of issue 24, each against the documentation (facts §1.4, §3.8, §6)."""

from __future__ import annotations

import base64
import json

from cstar_cli.client.identity import identity_hash
from tests.support.platforms import OwnPlatform, Start

RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def test_a_401_without_a_key_carries_the_rate_limit_headers(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client(None) as anonymous:
        anonymous.headers.pop("Authorization", None)
        answer = anonymous.get(platform.team("/tickets"))
        wrong = anonymous.get(platform.team("/tickets"), headers={"Authorization": "Bearer nope"})
    for response in (answer, wrong):
        assert response.status_code == 401, response.text
        for header in RATE_HEADERS:
            assert response.headers[header].isdigit(), header
        assert response.headers["x-ratelimit-window"] == "3600"
    assert answer.headers["x-ratelimit-limit"] == "200"


def test_the_429_doc_url_anchors_on_rate_limit_error(own_platform: Start) -> None:
    platform = own_platform(rate_limits={"secret": 1, "publishable": 1, "anonymous": 1})
    with platform.client() as staff:
        assert staff.get(platform.team("/tickets")).status_code == 200
        limited = staff.get(platform.team("/tickets"))
    assert limited.status_code == 429
    error = limited.json()["error"]
    assert error["code"] == "rate_limit_exceeded"
    assert error["doc_url"].endswith("/developers/errors#rate_limit_error")


def test_player_member_id_echoes_the_user_id_asked_for(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        member = staff.get(platform.team("/members")).json()["data"][0]
        by_user = staff.get(platform.team("/game/player"), params={"userId": member["userId"]})
        by_member = staff.get(platform.team("/game/player"), params={"userId": member["id"]})
    assert member["userId"].startswith("usr_")
    assert by_user.json()["data"]["memberId"] == member["userId"]
    assert by_user.json()["data"]["userId"] == member["userId"]
    assert by_member.json()["data"]["memberId"] == member["id"]


def _chat_headers(platform: OwnPlatform, payload: str, key: str | None = None) -> dict[str, str]:
    secret = key or platform.server.keys.secret_key
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return {"X-Cstar-Identity": encoded, "X-Cstar-Identity-Hash": identity_hash(secret, payload)}


def test_the_chat_sdk_identity_form_is_accepted(own_platform: Start) -> None:
    platform = own_platform()
    payload = json.dumps(
        {"id": "user-42", "email": "chat@example.com", "name": "Chat Person"},
        separators=(",", ":"),
    )
    headers = _chat_headers(platform, payload)
    with platform.client(platform.server.keys.publishable_key) as public:
        created = public.post(platform.team("/tickets"), json={"title": "hi"}, headers=headers)
        assert created.status_code == 201, created.text
        mine = public.get(platform.team("/tickets"), headers=headers).json()["data"]
        assert [t["title"] for t in mine] == ["hi"]
        numeric = '{"id":42,"email":"n@example.com"}'
        assert (
            public.get(
                platform.team("/tickets"), headers=_chat_headers(platform, numeric)
            ).status_code
            == 200
        )
        # D18's rules hold for this form too: the order is the SDK's, and a wrong hash is refused
        reordered = '{"email":"chat@example.com","id":"user-42","name":"Chat Person"}'
        refused = public.get(platform.team("/tickets"), headers=_chat_headers(platform, reordered))
        assert refused.status_code == 401
        assert refused.json()["error"]["expectedPayload"] == payload
        forged = _chat_headers(platform, payload, key="sk_test_" + "x" * 32)
        assert public.get(platform.team("/tickets"), headers=forged).status_code == 401
    with platform.client() as staff:
        customers = staff.get(platform.team("/customers")).json()["data"]
    assert "Chat Person" in [c["name"] for c in customers]
