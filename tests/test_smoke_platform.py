from __future__ import annotations

from tests.support.platforms import RunningPlatform


def test_whoami_reports_the_seed_team(platform: RunningPlatform) -> None:
    with platform.client() as client:
        response = client.get("/api/v1/auth/whoami")
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["teamId"] == platform.team_id
    assert body["data"]["environment"] == "test"
    assert response.headers["x-cstar-request-id"] == body["meta"]["requestId"]
