"""What a refused or ended stream (``cstar logs --tail``, ``cstar listen``) tells the user.

The platform refuses a stream with an ``error`` frame, or ends an open one with close code 4401
and the reason ``invalid_api_key`` / ``key_expired`` when its key is revoked, rolled or expires
(D28). Both reach the CLI as ``relay.socket.SocketFatal(code, message)``;
:func:`stream_refused` turns one into the error to raise, exit 4 for anything about the key::

    try:
        await run_socket(handler, api_key, stop)
    except SocketFatal as err:
        raise stream_refused(err.code, err.message, command="cstar logs --tail") from None
"""

from __future__ import annotations

from cstar_cli.cli.errors import CstarError, ExitCode

KEY_ENDED = {
    "invalid_api_key": "the API key was revoked (or rolled without a grace period)",
    "key_expired": "the API key expired (its grace period after a roll ended)",
}
REFUSED = {
    "authentication_required": "no API key was sent",
    "invalid_key_format": "the API key is malformed",
    "insufficient_permissions": "it needs a secret key",
    "publishable_key_write": "it needs a secret key",
    "team_access_denied": "the API key belongs to another team",
    "identity_verification_failed": "the customer identity did not verify",
}


class StreamAuthError(CstarError, exit_code=ExitCode.AUTH, error_type="authentication_error"):
    """The platform refused or ended a stream because of its API key (exit 4)."""


def stream_refused(code: str, message: str, *, command: str) -> CstarError:
    """The error for a stream the platform refused or closed: exit 4 when the key is why.

    ``code`` is the error code (or a handler's own label, then ``message`` may be the code the
    platform gave as the close reason, as ``cstar listen`` reports it).
    """
    known = code if code in KEY_ENDED or code in REFUSED else message
    if known in KEY_ENDED:
        return StreamAuthError(
            f"`{command}` stopped: {KEY_ENDED[known]}.",
            f"Log in with a valid key (`cstar login`), then run `{command}` again.",
            code=known,
        )
    if known in REFUSED:
        return StreamAuthError(
            f"The platform refused `{command}`: {REFUSED[known]}.",
            "Check the key with `cstar status`; streams need a secret key (sk_…).",
            code=known,
        )
    return CstarError(
        f"The platform refused `{command}`: {message}", "Check the key with `cstar status`."
    )


def as_stream_error(exc: BaseException, command: str | None) -> BaseException:
    """A ``SocketFatal`` that escaped a command (``cstar listen``) as the error to show."""
    from cstar_cli.client.websocket import SocketFatal

    if isinstance(exc, SocketFatal):
        return stream_refused(exc.code, exc.message, command=command or "cstar")
    return exc
