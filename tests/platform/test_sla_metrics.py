"""SLA metrics (D45) over a real socket, on a platform whose clock the test moves."""

from __future__ import annotations

import pytest

from tests.platform.test_identity_portal import error_of
from tests.support.platforms import OwnPlatform, Start, data

MINUTE = 60


@pytest.fixture
def own(own_platform: Start) -> OwnPlatform:
    return own_platform()


def test_metrics_per_priority_and_overall(own: OwnPlatform) -> None:
    with own.client() as staff:

        def ticket(priority: str) -> str:
            made = data(
                staff.post(own.team("/tickets"), json={"title": "t", "priority": priority}), 201
            )
            return str(made["id"])

        def respond(ticket_id: str) -> None:
            reply = {"content": "On it", "sender": "agent"}
            data(staff.post(own.team(f"/tickets/{ticket_id}/messages"), json=reply), 201)

        fast = ticket("urgent")
        respond(fast)
        data(staff.patch(own.team(f"/tickets/{fast}"), json={"status": "resolved"}))
        ticket("urgent")  # never answered: past its 15-minute response target below
        own.clock.advance(20 * MINUTE)
        normal = ticket("normal")
        own.clock.advance(200 * MINUTE)
        respond(normal)  # 200 of 240 minutes: bronze, within target

        metrics = data(staff.get(own.team("/sla/metrics")))
        overall = metrics["overall"]
        assert overall["tickets"] == 3
        assert overall["respondedWithinTarget"] == {"count": 2, "percent": 66.7}
        assert overall["resolvedWithinTarget"] == {"count": 1, "percent": 50.0}
        assert overall["medianFirstResponseMinutes"] == 100.0
        assert overall["medianResolutionMinutes"] == 0.0
        assert overall["breaches"] == 1
        assert overall["tiers"] == {"gold": 1, "silver": 0, "bronze": 0, "missed": 0}
        urgent = metrics["byPriority"]["urgent"]
        assert urgent["tickets"] == 2 and urgent["breaches"] == 1
        assert (urgent["responseTargetMinutes"], urgent["resolutionTargetMinutes"]) == (15, 120)
        assert metrics["byPriority"]["normal"]["respondedWithinTarget"]["count"] == 1
        high = metrics["byPriority"]["high"]
        assert high["tickets"] == 0 and high["respondedWithinTarget"]["percent"] is None

        recent = data(staff.get(own.team("/sla/metrics"), params={"since": metrics["until"]}))
        assert recent["overall"]["tickets"] == 0
        window = data(staff.get(own.team("/sla/metrics"), params={"since": "2000-01-01T00:00:00Z"}))
        assert window["overall"]["tickets"] == 3
        backwards = staff.get(
            own.team("/sla/metrics"),
            params={"since": "2030-01-02T00:00:00Z", "until": "2030-01-01T00:00:00Z"},
        )
        assert backwards.status_code == 400 and error_of(backwards)["param"] == "until"

    with own.client(own.server.keys.publishable_key) as public:
        refused = public.get(own.team("/sla/metrics"))
        assert refused.status_code == 403
        assert error_of(refused)["code"] == "insufficient_permissions"
