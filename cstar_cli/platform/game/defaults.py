"""SLA targets per priority (D20 defaults), in minutes: (response, resolution).

These seed each team's ``/sla/rules``; the rules, deadlines and tiers live in ``game/sla.py``.
"""

from __future__ import annotations

DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    "urgent": (15, 120),
    "high": (60, 480),
    "normal": (240, 1440),
    "low": (1440, 4320),
}
