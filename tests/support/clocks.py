"""A clock a test moves by hand (the platform's base clock; its test clock adds to it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FakeClock:
    """Frozen unless a test moves it: ``clock.now += 60`` or ``clock.advance(60)``."""

    now: float = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
