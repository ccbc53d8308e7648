"""Time windows of report routes (``since``/``until``, D44, D45): ISO-8601 moments, checked."""

from __future__ import annotations

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.wire.times import iso, parse_iso


def moment(value: str | None, param: str) -> float | None:
    """``value`` as unix seconds (``None`` when not given); anything but an ISO-8601 time is a
    400 naming ``param``."""
    if value is None:
        return None
    try:
        when = parse_iso(value)
        iso(when)  # representable
    except (ValueError, OverflowError, OSError):
        raise ApiError.invalid(
            f"{param} must be an ISO-8601 time such as 2026-03-01T00:00:00Z.", param=param
        ) from None
    return when


def ordered(since: float | None, until: float | None) -> None:
    """``since`` must come before ``until`` when both are given (400 naming ``until``)."""
    if since is not None and until is not None and until < since:
        raise ApiError.invalid("until must not be before since.", param="until")
