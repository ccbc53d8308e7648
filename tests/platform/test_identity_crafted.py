"""Crafted identities are refused in the error shape, never a bare 500 (issue 21): a timestamp
of 400 digits, an email that is not Unicode — on a team route and on the key-less library."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.platform.test_identity_portal import encode, error_of
from tests.support.platforms import OwnPlatform

CRAFTED = {
    "huge timestamp": '{"email":"a@b.test","externalId":"1","timestamp":' + "9" * 400 + "}",
    "negative huge timestamp": '{"email":"a@b.test","externalId":"1","timestamp":-'
    + "9" * 40
    + "}",
    "lone surrogate": '{"email":"\\ud800@b.test"}',
    "surrogate in a name": '{"email":"a@b.test","externalId":"1","name":"\\udfff","timestamp":1}',
}


@pytest.mark.parametrize("payload", list(CRAFTED.values()), ids=list(CRAFTED))
def test_a_crafted_identity_is_a_401(
    own_platform: Callable[..., OwnPlatform], payload: str
) -> None:
    platform = own_platform()
    headers = {"X-Cstar-Identity": encode(payload), "X-Cstar-Identity-Hash": "0" * 64}
    with platform.client(platform.server.keys.publishable_key) as public:
        team = public.get(platform.team("/tickets"), headers=headers)
    with platform.client(None) as anonymous:
        anonymous.headers.pop("Authorization", None)
        library = anonymous.get("/api/library/local-dev/articles", headers=headers)
    for answer in (team, library):
        assert answer.status_code == 401, answer.text
        assert error_of(answer)["code"] == "identity_verification_failed"
