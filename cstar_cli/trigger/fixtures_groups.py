"""Fixtures of the customer-group family (D41): a group made, changed (a customer joins it) and
deleted through the API."""

from __future__ import annotations

from typing import Final

from cstar_cli.trigger.steps import CUSTOMER, Fixture, Step

GROUP = Step(
    "group",
    "POST",
    "/customer-groups",
    {
        "name": "Acme Corp ${run.id}",
        "description": "Enterprise account, priority support.",
        "externalId": "zd_org_${run.id}",
    },
)
GROUP_PATH = "/customer-groups/${group.id}"

GROUP_FIXTURES: Final[dict[str, Fixture]] = {
    "customer_group.created": Fixture("customer_group.created", (GROUP,)),
    "customer_group.updated": Fixture(
        "customer_group.updated",
        (
            CUSTOMER,
            GROUP,
            Step("join", "POST", GROUP_PATH + "/customers", {"customerIds": ["${customer.id}"]}),
        ),
    ),
    "customer_group.deleted": Fixture(
        "customer_group.deleted", (GROUP, Step("delete", "DELETE", GROUP_PATH))
    ),
}
"""Event type -> its fixture, for :data:`cstar_cli.trigger.fixtures.FIXTURES`."""
