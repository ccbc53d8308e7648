"""Typed CLI errors and the exit codes they map to, in one place.

Every failure a user can meet is one of these or a ``cstar_cli.client.errors.CstarAPIError``;
:func:`describe` turns either into what ``cstar_cli.main`` prints (``docs/exit-codes.md``).
Nothing here imports rich, typer or httpx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import TYPE_CHECKING

from cstar_cli.wire.links import LOCAL_API_BASE

if TYPE_CHECKING:
    from cstar_cli.client.errors import CstarAPIError


class ExitCode(IntEnum):
    """The documented exit codes of every cstar command."""

    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH = 4
    UNREACHABLE = 5
    CANNOT_EXECUTE = 126
    """``cstar dev exec``: CMD exists but cannot be run (as shells say it)."""
    COMMAND_NOT_FOUND = 127
    """``cstar dev exec``: there is no such CMD (as shells say it)."""
    INTERRUPTED = 130
    PIPE_CLOSED = 141  # the reader of the output went away (`| head`): 128 + SIGPIPE, no message


class CstarError(Exception):
    """A failure to report to the user: a message, what to do next, and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR
    error_type: str = "cli_error"
    code: str = "error"

    def __init_subclass__(
        cls,
        *,
        exit_code: ExitCode | None = None,
        error_type: str | None = None,
        code: str | None = None,
    ) -> None:
        """A subclass names its defaults in its header: ``class X(CstarError, code="…")``."""
        super().__init_subclass__()
        cls.exit_code = cls.exit_code if exit_code is None else exit_code
        cls.error_type = error_type or cls.error_type
        cls.code = code or cls.code

    def __init__(self, message: str, hint: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code


class UsageError(CstarError, exit_code=ExitCode.USAGE, error_type="usage_error", code="usage"):
    """The command line itself is wrong (bad flag value, missing argument)."""


class ConfigError(CstarError, error_type="config_error", code="config_invalid"):
    """The configuration or credentials store cannot be read or written."""


class NotLoggedInError(
    CstarError, exit_code=ExitCode.AUTH, error_type="authentication_error", code="not_logged_in"
):
    """No API key is available for the profile."""


class UnknownProfileError(NotLoggedInError, code="unknown_profile"):
    """A profile was named (flag or ``CSTAR_PROFILE``) that the config file does not have."""


class AbortedError(CstarError, code="aborted"):
    """The user declined a confirmation."""


class Stopped(
    CstarError, exit_code=ExitCode.INTERRUPTED, error_type="interrupted", code="interrupted"
):
    """The user stopped a long-running command (Ctrl-C); it has already said what happened,
    so nothing more is printed: the command just exits 130."""

    def __init__(self) -> None:
        super().__init__("Stopped.")


@dataclass(frozen=True)
class ErrorReport:
    """What the user sees for one failure: the same fields in text and in ``--json`` mode."""

    exit_code: int
    type: str
    code: str
    message: str
    hint: str | None = None
    request_id: str | None = None
    param: str | None = None
    doc_url: str | None = None

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "type": self.type,
            "code": self.code,
            "message": self.message,
            "requestId": self.request_id,
        }
        if self.param:
            body["param"] = self.param
        if self.hint:
            body["hint"] = self.hint
        if self.doc_url:
            body["docUrl"] = self.doc_url
        return {"error": body}


def login_hint(profile: str | None = None) -> str:
    """What to run when there is no key: the prompt (which finds a running ``cstar dev``), the
    local platform's form, and the per-call flags."""
    flag = f" --profile {profile}" if profile and profile != "default" else ""
    return (
        f"Run `cstar login{flag}` (on a terminal it finds a running `cstar dev`), or for the "
        f"local platform `cstar login{flag} --api-base {LOCAL_API_BASE} --api-key sk_test_…`; "
        "or pass --api-key / set CSTAR_API_KEY."
    )


_API_HINTS: dict[str, str] = {
    "authentication_required": login_hint(),
    "invalid_key_format": "Keys start with sk_test_, sk_live_, pk_test_ or pk_live_. "
    "Check the key and run `cstar login` again.",
    "invalid_api_key": "The key was revoked, belongs to another platform, team or environment, "
    "or is mistyped. Log in with a valid one: `cstar login` (on a terminal it finds a running "
    "`cstar dev`, which prints its keys when it starts; hosted keys are in the dashboard).",
    "key_expired": "The key has expired (its grace period after a roll ended). Log in with the "
    "key that replaced it: `cstar login`.",
    "publishable_key_write": "Publishable keys are read-only. Use a secret key (sk_…) for writes: "
    "`cstar login --api-key sk_…`.",
    "insufficient_permissions": "This needs a secret key; for live keys, a live secret key.",
    "team_access_denied": "The key does not belong to this team. Check --profile and the key.",
    "idempotency_key_reused": "An Idempotency-Key can only be reused for the same request. "
    "Use a new key (or omit --idempotency-key).",
    "idempotency_key_in_use": "The first request with this key is still running; retry shortly.",
    "rate_limit_exceeded": "Wait and try again, or slow down.",
    "internal_error": "Try again; if it persists, report it with the request id.",
    "invalid_response": "The server did not answer with cStar JSON. Check --api-base; "
    "a proxy may be in the way.",
}

_API_EXIT_CODES: dict[str, ExitCode] = {
    "authentication_error": ExitCode.AUTH,
    "authorization_error": ExitCode.AUTH,
    "connection_error": ExitCode.UNREACHABLE,
}


LISTABLE = ("tickets", "customers", "articles", "members", "events", "webhooks", "keys")


def missing_hint(command: str | None) -> str:
    """For a 404: the list command of the resource the command works on."""
    words = (command or "").split()
    noun = words[1] if len(words) > 1 and words[1] in LISTABLE else None
    if noun:
        return f"Check the id; `cstar {noun} list` shows what exists."
    return (
        "Check the id and the path; `cstar tickets list`, `cstar events list` and the other "
        "list commands show what exists."
    )


_PATTERN_MISMATCH = re.compile(
    r"^Invalid value for '(?P<field>[^']+)': String should match pattern '.*'\.?$", re.DOTALL
)
_KEY_CREATE = re.compile(r"\s*[^.]*'cstar keys create'[^.]*\.")


def api_message(exc: CstarAPIError) -> str:
    """The API's message in plain words: a field's format said in words, not as the regex it
    is checked with; no advice to run `cstar keys create` for a key that is refused (creating a
    key needs a valid one)."""
    message = exc.message
    mismatch = _PATTERN_MISMATCH.match(message)
    if mismatch:
        field = mismatch["field"]
        if field.lower().endswith("email"):
            return f"Invalid value for '{field}': not an email address (name@example.com)."
        return f"Invalid value for '{field}': not in the form the API accepts."
    if exc.code == "invalid_api_key":
        return _KEY_CREATE.sub("", message).strip()
    return message


def describe(exc: BaseException, command: str | None = None) -> ErrorReport | None:
    """Map any error we know to the report shown to the user; ``None`` for unknown errors.

    ``command`` (``cstar events resend``) lets a hint name the right next command."""
    if isinstance(exc, CstarError):
        return ErrorReport(int(exc.exit_code), exc.error_type, exc.code, exc.message, exc.hint)
    if isinstance(exc, KeyboardInterrupt):
        return ErrorReport(
            int(ExitCode.INTERRUPTED), "interrupted", "interrupted", "Interrupted.", None
        )
    from cstar_cli.client.errors import CstarAPIError

    if isinstance(exc, CstarAPIError):
        code = _API_EXIT_CODES.get(exc.type, ExitCode.ERROR)
        if exc.status in (401, 403):
            code = ExitCode.AUTH
        hint = exc.hint or _API_HINTS.get(exc.code)
        if hint is None and exc.code == "resource_missing":
            hint = missing_hint(command)
        if exc.type == "rate_limit_error" and exc.retry_after:
            hint = f"Try again in {exc.retry_after} s."
        if hint is None and exc.type == "invalid_request_error":
            hint = "Fix the request and try again; `--help` lists the options."
        if hint is None:
            hint = "Try again; `-v` shows each request."
        return ErrorReport(
            int(code),
            exc.type,
            exc.code,
            api_message(exc),
            hint,
            exc.request_id,
            exc.param,
            exc.doc_url,
        )
    return None


SECRET_KEY_CODES = frozenset({"insufficient_permissions", "publishable_key_write"})
REFUSED_KEY_CODES = frozenset({"invalid_api_key", "key_expired"})


def given_key(source: str) -> str | None:
    """How a key given for this run only is named (``the key given with --api-key``); ``None``
    for the profile's stored key."""
    if source == "--api-key":
        return "The key given with --api-key"
    if source == "CSTAR_API_KEY":
        return "The key in CSTAR_API_KEY"
    return None


def explain_key(report: ErrorReport, command: str | None, api_key: str, source: str) -> ErrorReport:
    """Say which key was refused or is publishable, and where it came from: a key passed with
    --api-key or CSTAR_API_KEY is not the profile's, and logging in again would not help."""
    if report.code in REFUSED_KEY_CODES:
        return _refused_key(report, api_key, source)
    if report.code not in SECRET_KEY_CODES or not api_key.startswith("pk_"):
        return report
    env = "live" if api_key.startswith("pk_live_") else "test"
    shown = f"pk_{env}_…{api_key[-4:]}"
    what = f"`{command}`" if command else "This command"
    read_only = " Publishable keys are read-only." if report.code == "publishable_key_write" else ""
    given = given_key(source)
    whose = f"{given} is" if given else "This profile uses"
    message = (
        f"{what} needs a secret key.{read_only} {whose} a publishable key ({shown}), "
        "which reads only published articles, the game and whoami, and acts for one customer "
        "only with a verified identity."
    )
    if source == "--api-key":
        hint = f"Pass a secret key instead: --api-key sk_{env}_…"
    elif source == "CSTAR_API_KEY":
        hint = f"Set CSTAR_API_KEY to a secret key (sk_{env}_…), or unset it to use the profile's."
    else:
        hint = f"Log in with a secret key: `cstar login --api-key sk_{env}_…` (or pass --api-key)."
    return replace(report, message=message, hint=hint)


def _refused_key(report: ErrorReport, api_key: str, source: str) -> ErrorReport:
    from cstar_cli.wire.keys import redact

    given = given_key(source)
    whose = given.lower() if given else "the profile's key"
    message = f"{report.message} That is {whose} ({redact(api_key)})."
    if given is None:
        return replace(report, message=message)
    where = "--api-key" if source == "--api-key" else "CSTAR_API_KEY"
    return replace(
        report,
        message=message,
        hint=f"Check {where}: `cstar dev` prints the local platform's keys when it starts "
        "(hosted keys are in the dashboard).",
    )
