"""What ``POST …/inspector/links`` does (D31): mint a one-time inspector link for the caller's
secret key, in ``platform.inspector`` (:class:`.sessions.InspectorSessions`)."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.audit.trail import audit
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.service import Caller
from cstar_cli.wire.times import iso


class InspectorLinks:
    """Inspector links of the caller: a secret key of the environment the link shows."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.platform = caller.platform
        self.principal = caller.principal

    def mint(self, key: str, environment: str | None, base_url: str) -> dict[str, Any]:
        """A link that opens the inspector with ``key`` (the caller's own, as presented) once;
        ``url`` joins its token to ``base_url``, this platform's own address."""
        principal = self.principal
        if not principal.is_secret:
            raise ApiError.forbidden(
                "insufficient_permissions", "Secret key required for this endpoint."
            )
        if environment is not None and environment != principal.environment:
            raise ApiError.forbidden(
                "insufficient_permissions",
                f"A {principal.environment} key opens the {principal.environment} inspector "
                f"only. Use a secret key of the {environment} environment (sk_{environment}_…) "
                f"for a {environment} link.",
            )
        token, expires_at = self.platform.inspector.mint(key)
        with self.caller.work.transaction():
            audit(
                self.caller, "inspector_link.created", None, {"environment": principal.environment}
            )
        return {
            "object": "inspector_link",
            "token": token,
            "url": f"{base_url.rstrip('/')}/?token={token}",
            "environment": principal.environment,
            "expiresAt": iso(expires_at),
        }
