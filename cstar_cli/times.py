"""Times on the command line: ``10m``, ``2h``, ``7d``, ``1w`` ago, or an ISO-8601 time."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

RELATIVE = re.compile(r"^(\d+)\s*([smhdw])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def to_iso(text: str, *, now: float | None = None) -> str:
    """The moment ``text`` names, as ISO-8601 UTC with milliseconds; ``ValueError`` if none."""
    value = text.strip()
    match = RELATIVE.match(value.lower())
    if match:
        moment = (time.time() if now is None else now) - int(match.group(1)) * UNITS[match.group(2)]
    else:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        moment = parsed.timestamp()
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
