"""Models of ``/test-helpers`` answers (the clock's are with the game's models)."""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.models import Output


class ResetResult(Output):
    object: Literal["reset"]
    deleted: dict[str, int]
    """Rows deleted, by resource (``tickets``, ``events``, ``keys``, ``listenQueue``…)."""
