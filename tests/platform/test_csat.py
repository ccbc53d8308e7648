"""CSAT (D44) over a real socket: settings, one survey answer per ticket, stats, who may answer
(a secret key, or the ticket's own customer through a verified identity), the event, reset."""

from __future__ import annotations

import pytest

from tests.platform.test_identity_portal import error_of, identity_headers
from tests.support.platforms import OwnPlatform, Start, data


@pytest.fixture
def own(own_platform: Start) -> OwnPlatform:
    return own_platform()


def test_settings_surveys_stats_and_reset(own: OwnPlatform) -> None:
    with own.client() as staff:
        defaults = data(staff.get(own.team("/csat/settings")))
        assert defaults["enabled"] is True and defaults["sendAfter"] == "closed"
        assert defaults["updatedAt"] is None
        changed = data(
            staff.patch(own.team("/csat/settings"), json={"enabled": False, "question": "Q?"})
        )
        assert changed["enabled"] is False and changed["question"] == "Q?"
        assert changed["updatedAt"] is not None
        bad = staff.patch(own.team("/csat/settings"), json={"sendAfter": "opened"})
        assert bad.status_code == 400 and error_of(bad)["param"] == "sendAfter"

        customer = data(
            staff.post(own.team("/customers"), json={"name": "Jo", "email": "jo@example.com"}),
            201,
        )
        tickets = [
            data(
                staff.post(
                    own.team("/tickets"), json={"title": f"t{n}", "customerId": customer["id"]}
                ),
                201,
            )
            for n in range(3)
        ]
        survey = data(
            staff.post(
                own.team("/csat/surveys"),
                json={"ticketId": tickets[0]["id"], "rating": 5, "comment": "Great"},
            ),
            201,
        )
        assert survey["id"].startswith("srv_") and survey["customerId"] == customer["id"]
        assert survey["rating"] == 5 and survey["scale"] == 5
        second = staff.post(
            own.team("/csat/surveys"), json={"ticketId": tickets[0]["id"], "rating": 1}
        )
        assert second.status_code == 409 and error_of(second)["code"] == "resource_conflict"
        out_of_range = staff.post(
            own.team("/csat/surveys"), json={"ticketId": tickets[1]["id"], "rating": 6}
        )
        assert out_of_range.status_code == 400 and error_of(out_of_range)["param"] == "rating"
        data(
            staff.post(own.team("/csat/surveys"), json={"ticketId": tickets[1]["id"], "rating": 2}),
            201,
        )
        data(
            staff.post(own.team("/csat/surveys"), json={"ticketId": tickets[2]["id"], "rating": 4}),
            201,
        )
        stats = data(staff.get(own.team("/csat/stats")))
        assert stats["responses"] == 3
        assert stats["averageRating"] == pytest.approx(3.67)
        assert stats["csatScore"] == pytest.approx(66.7)
        assert stats["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
        later = data(staff.get(own.team("/csat/stats"), params={"since": "2999-01-01T00:00:00Z"}))
        assert later["responses"] == 0 and later["averageRating"] is None
        bad_window = staff.get(own.team("/csat/stats"), params={"since": "yesterday"})
        assert bad_window.status_code == 400 and error_of(bad_window)["param"] == "since"

        fives = data(staff.get(own.team("/csat/surveys"), params={"rating": 5}))
        assert [s["id"] for s in fives] == [survey["id"]]
        one = data(staff.get(own.team("/csat/surveys"), params={"ticketId": tickets[1]["id"]}))
        assert [s["rating"] for s in one] == [2]

        events = data(staff.get(own.team("/events"), params={"type": "survey.submitted"}))
        assert len(events) == 3
        first = events[-1]["data"]
        assert first["survey"]["id"] == survey["id"] and first["survey"]["rating"] == 5
        assert first["customer"]["email"] == "jo@example.com"

        reset = data(staff.post(own.team("/test-helpers/reset")))
        assert reset["deleted"]["csatSurveys"] == 3 and reset["deleted"]["csatSettings"] == 1
        assert data(staff.get(own.team("/csat/settings"))) == defaults
        assert data(staff.get(own.team("/csat/surveys"))) == []


def test_the_tickets_own_customer_answers_through_an_identity(own: OwnPlatform) -> None:
    keys = own.server.keys
    as_jane = identity_headers(keys.secret_key, "jane@example.com")
    as_sam = identity_headers(keys.secret_key, "sam@example.com")
    with own.client(keys.publishable_key) as widget:
        janes = data(
            widget.post(own.team("/tickets"), json={"title": "Help"}, headers=as_jane), 201
        )
        sams = data(widget.post(own.team("/tickets"), json={"title": "Hi"}, headers=as_sam), 201)
        assert data(widget.get(own.team("/csat/settings")))["object"] == "csat_settings"
        anonymous = widget.post(
            own.team("/csat/surveys"), json={"ticketId": janes["id"], "rating": 4}
        )
        assert anonymous.status_code == 403
        assert error_of(anonymous)["code"] == "publishable_key_write"
        not_hers = widget.post(
            own.team("/csat/surveys"), json={"ticketId": sams["id"], "rating": 1}, headers=as_jane
        )
        assert not_hers.status_code == 400 and error_of(not_hers)["param"] == "ticketId"
        answered = data(
            widget.post(
                own.team("/csat/surveys"),
                json={"ticketId": janes["id"], "rating": 4},
                headers=as_jane,
            ),
            201,
        )
        assert answered["customerId"] == janes["customerId"]
        for path in ("/csat/surveys", "/csat/stats"):
            refused = widget.get(own.team(path), headers=as_jane)
            assert refused.status_code == 403, path
            assert error_of(refused)["code"] == "insufficient_permissions"
        settings = widget.patch(
            own.team("/csat/settings"), json={"enabled": False}, headers=as_jane
        )
        assert settings.status_code == 403
