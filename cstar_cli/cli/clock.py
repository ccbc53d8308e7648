"""The team's test clock (D21) from the CLI: read it, move it forward, set it back.

Test mode only: the platform answers ``/test-helpers/clock`` for test keys. Offsets are
described the way people say them (``12 min ahead``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cstar_cli.wire.times import span

if TYPE_CHECKING:
    from cstar_cli.client.clients import CstarClient

CLOCK = ("test-helpers", "clock")
MAX_ADVANCE = 366 * 86_400
"""The most one advance may move the clock (the platform refuses more)."""


def read_clock(client: CstarClient, *, quiet: bool = False) -> dict[str, Any] | None:
    """``{now, offsetSeconds, …}``; with ``quiet``, ``None`` when the API will not say."""
    from cstar_cli.client.errors import CstarAPIError

    try:
        data: dict[str, Any] = client.request("GET", client.team_path(*CLOCK)).data
    except CstarAPIError:
        if quiet:
            return None
        raise
    return data


def advance_clock(client: CstarClient, seconds: int) -> dict[str, Any]:
    path = client.team_path(*CLOCK, "advance")
    data: dict[str, Any] = client.request("POST", path, json={"seconds": seconds}).data
    return data


def reset_clock(client: CstarClient) -> dict[str, Any]:
    data: dict[str, Any] = client.request("POST", client.team_path(*CLOCK, "reset")).data
    return data


def describe_offset(seconds: float) -> str:
    """``12 min ahead`` (of real time), or ``real time`` when the clock is not moved."""
    if abs(seconds) < 1:
        return "real time"
    return f"{span(seconds)} {'ahead' if seconds > 0 else 'behind'}"
