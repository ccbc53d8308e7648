"""Models of the SLA metrics (D45)."""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.models import Output


class WithinTarget(Output):
    count: int
    percent: float | None
    """Of the tickets judged on that target (met, or missed — answered late or past the
    deadline unanswered), 0–100 with one decimal; ``null`` when none was judged yet."""


class Tiers(Output):
    gold: int
    silver: int
    bronze: int
    missed: int


class Metrics(Output):
    tickets: int
    respondedWithinTarget: WithinTarget
    resolvedWithinTarget: WithinTarget
    medianFirstResponseMinutes: float | None
    medianResolutionMinutes: float | None
    breaches: int
    """Tickets that missed a target, or are past one with the SLA running."""
    tiers: Tiers
    """Resolution tiers (D19) of the tickets resolved or closed."""


class PriorityMetrics(Metrics):
    responseTargetMinutes: int | None
    resolutionTargetMinutes: int | None
    """The targets of the rule that applies to the priority now (``null`` without one)."""


class ByPriority(Output):
    urgent: PriorityMetrics
    high: PriorityMetrics
    normal: PriorityMetrics
    low: PriorityMetrics


class SlaMetrics(Output):
    object: Literal["sla_metrics"]
    since: str
    until: str
    overall: Metrics
    byPriority: ByPriority
