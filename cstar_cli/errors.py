"""Typed CLI errors and the exit codes they map to.

Every failure a user can meet is one of these; ``cstar_cli.main.main`` turns them into a message on
stderr and the documented exit code (``docs/exit-codes.md``). Nothing here imports rich or typer.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of every cstar command."""

    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH = 4
    UNREACHABLE = 5
    INTERRUPTED = 130


class CstarError(Exception):
    """A failure to report to the user: a message, what to do next, and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR
    error_type: str = "cli_error"
    code: str = "error"

    def __init__(self, message: str, hint: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code


class UsageError(CstarError):
    """The command line itself is wrong (bad flag value, missing argument)."""

    exit_code = ExitCode.USAGE
    error_type = "usage_error"
    code = "usage"


class ConfigError(CstarError):
    """The configuration or credentials store cannot be read or written."""

    error_type = "config_error"
    code = "config_invalid"


class NotLoggedInError(CstarError):
    """No API key is available for the profile."""

    exit_code = ExitCode.AUTH
    error_type = "authentication_error"
    code = "not_logged_in"
