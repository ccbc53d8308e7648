"""``/sla/rules`` (facts §3.10): the SLA rules of the caller's team and environment. The D20
defaults are written before any rule is read or added (:func:`.sla.ensure_default_rules`)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.game.models import SlaRuleCreate, SlaRuleUpdate
from cstar_cli.platform.game.sla import RULE_PREFIX, ensure_default_rules
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.platform.store.updates import Column, FieldMap

FIELDS: FieldMap = {
    "name": Column(),
    "priority": Column(),
    "responseTarget": Column(),
    "resolutionTarget": Column(),
    "businessHoursOnly": Column(kind="bool"),
    "enabled": Column(kind="bool"),
}


def rule_columns(body: SlaRuleCreate) -> Row:
    """What a new SLA rule stores (created through the API or loaded from a data file)."""
    return {
        "name": body.name,
        "priority": body.priority,
        "response_target": body.responseTarget,
        "resolution_target": body.resolutionTarget,
        "business_hours_only": int(body.businessHoursOnly),
        "enabled": int(body.enabled),
    }


def serialize(row: Row) -> dict[str, Any]:
    """A stored SLA rule on the wire."""
    return {
        "id": RULE_PREFIX + row["id"],
        "object": "sla_rule",
        **columns(row, "name", "priority", "response_target", "resolution_target"),
        "businessHoursOnly": bool(row["business_hours_only"]),
        "enabled": bool(row["enabled"]),
        **columns(row, "created_at", "updated_at"),
    }


def check_targets(response: int, resolution: int) -> None:
    if response > resolution:
        raise ApiError.invalid(
            "responseTarget cannot be longer than resolutionTarget.", param="responseTarget"
        )


class SlaRules(Service):
    """The SLA rules of the caller's team and environment."""

    table = "sla_rules"
    prefix = RULE_PREFIX
    param = "ruleId"
    noun = "SLA rule"
    sort_fields = sortable("created_at", "priority", "name")

    def with_defaults(self) -> None:
        """The D20 default rules exist before any rule is read or added."""
        ensure_default_rules(self.db, self.principal.team_id, self.principal.livemode, self.now())

    def rule(self, rule_id: str) -> Row:
        self.with_defaults()
        return self.load(rule_id)

    def list(self, paging: Paging, *, priority: str | None = None) -> Page:
        self.with_defaults()
        where = self.where()
        where.equals("priority", priority)
        return self.page(where, paging, serialize, default_sort="createdAt")

    def create(self, body: SlaRuleCreate) -> dict[str, Any]:
        check_targets(body.responseTarget, body.resolutionTarget)
        self.with_defaults()
        row = self.new_row(rule_columns(body))
        with self.transaction() as db:
            db.insert(self.table, row)
            self.audit("sla_rule.created", self.prefix + row["id"], serialize(row))
        return serialize(row)

    def get(self, rule_id: str) -> dict[str, Any]:
        return serialize(self.rule(rule_id))

    def update(self, rule_id: str, body: SlaRuleUpdate) -> dict[str, Any]:
        row = self.rule(rule_id)
        values = self.patch_values(body, row, FIELDS)
        merged = {**row, **values}
        check_targets(int(merged["response_target"]), int(merged["resolution_target"]))
        return serialize(self.save(row, values, show=serialize).row)

    def delete(self, rule_id: str) -> dict[str, Any]:
        return self.remove(self.rule(rule_id))
