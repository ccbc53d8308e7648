"""Fixtures of the community (D43) and CSAT (D44): ``community_post.*`` and
``survey.submitted`` made by real API calls. A secret key writes on behalf of a member (the
first of the team), as the API requires (``member_id``)."""

from __future__ import annotations

from typing import Final

from cstar_cli.trigger.steps import CUSTOMER, TICKET, TICKET_PATH, Fixture, Step

MEMBER = Step("member", "GET", "/members", params={"pageSize": 1})
POST = Step(
    "post",
    "POST",
    "/community/posts",
    {
        "title": "Dark mode for the customer portal",
        "body": "Our users work late; a dark theme for the portal would help a lot.",
        "member_id": "${member.0.id}",
    },
)
POST_PATH = "/community/posts/${post.id}"


def _post_then(*steps: Step) -> tuple[Step, ...]:
    return (MEMBER, POST, *steps)


COMMUNITY_FIXTURES: Final[dict[str, Fixture]] = {
    f.event: f
    for f in (
        Fixture("community_post.created", _post_then()),
        Fixture(
            "community_post.updated",
            _post_then(
                Step("update", "PATCH", POST_PATH, {"title": "Dark mode, portal and widget"})
            ),
        ),
        Fixture(
            "community_post.status_changed",
            _post_then(Step("plan", "PATCH", POST_PATH, {"status": "planned"})),
        ),
        Fixture(
            "community_post.commented",
            _post_then(
                Step(
                    "comment",
                    "POST",
                    POST_PATH + "/comments",
                    {
                        "body": "Planned for next quarter. Thanks for the suggestion!",
                        "member_id": "${member.0.id}",
                    },
                )
            ),
        ),
        Fixture("community_post.deleted", _post_then(Step("delete", "DELETE", POST_PATH))),
        Fixture(
            "community_post.voted",
            _post_then(Step("vote", "POST", POST_PATH + "/votes", {"member_id": "${member.0.id}"})),
        ),
        Fixture(
            "survey.submitted",
            (
                CUSTOMER,
                TICKET,
                Step("close", "PATCH", TICKET_PATH, {"status": "closed"}),
                Step(
                    "survey",
                    "POST",
                    "/csat/surveys",
                    {
                        "ticketId": "${ticket.id}",
                        "rating": 5,
                        "comment": "Fast and friendly, thank you!",
                    },
                ),
            ),
        ),
    )
}
"""Event type -> fixture, for the six ``community_post.*`` events and ``survey.submitted``."""
