"""What a live tail (``cstar logs --tail``, ``cstar events --tail``) tells people on stderr as
its stream connects, drops and resumes; the lines themselves go to stdout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cstar_cli.cli.output import Printer


@dataclass(frozen=True)
class TailNotices:
    """The stream's callbacks: ``connected(count)`` and ``disconnected(reason, retry_in)``."""

    printer: Printer
    stream: str
    """What is tailed, as in "Tailing request logs"."""
    item: str
    """One thing shown, as in "resuming after the last line shown"."""

    def connected(self, count: int) -> None:
        """The first connection says what runs; a later one that it resumed."""
        if count == 1:
            self.printer.info(f"Tailing {self.stream} (Ctrl-C to stop)…")
        else:
            self.printer.success(f"Reconnected; resuming after the last {self.item} shown.")

    def disconnected(self, reason: str, retry_in: float) -> None:
        self.printer.warn(f"Disconnected: {reason}. Reconnecting in {retry_in:.1f} s.")
