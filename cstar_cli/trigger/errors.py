"""What a fixture reports when it can't run as asked; the command turns it into an exit code."""

from __future__ import annotations


class FixtureError(Exception):
    """A fixture asked for the wrong way (``usage``: an unknown fixture, a bad override, a live
    key) or a step that could not be built from what the earlier steps returned."""

    usage = True

    def __init__(self, message: str, hint: str | None = None, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


class FixtureStepError(FixtureError):
    """A step could not be built from what earlier steps returned."""

    usage = False

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint, code="fixture_failed")
