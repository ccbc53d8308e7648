"""SLA targets per priority (D20 defaults), in minutes: (response, resolution)."""

from __future__ import annotations

from cstar_cli.server.clock import iso

DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    "urgent": (15, 120),
    "high": (60, 480),
    "normal": (240, 1440),
    "low": (1440, 4320),
}


def deadlines(priority: str, created: float) -> tuple[str, str]:
    """The response and resolution deadlines of a ticket created at ``created``."""
    response, resolution = DEFAULT_TARGETS[priority]
    return iso(created + response * 60), iso(created + resolution * 60)
