"""Which key may call which route (D23), declared once on each route and enforced by the gateway.

A route says who may call it with ``openapi_extra`` (it also shows in ``/openapi.json`` as
``x-cstar-access``); a route that says nothing is for secret keys only::

    @router.get("/articles", openapi_extra=PUBLIC)   # any key of the team reads it
    @router.get("/tickets", openapi_extra=PORTAL)    # secret keys; publishable + verified identity
    @router.get("/{team}/articles", openapi_extra=LIBRARY)  # anyone, no key needed (D25)

Publishable keys get 403 ``publishable_key_write`` for a write they may not make and 403
``insufficient_permissions`` ("Secret key required for this endpoint.") for a read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.callers import ANONYMOUS
from cstar_cli.platform.http.errors import ApiError

ACCESS_FIELD = "x-cstar-access"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class Access(StrEnum):
    SECRET = "secret"  # noqa: S105 (a scope name)
    """Secret keys only: the default."""
    PUBLIC = "public"
    """Any key of the team: published articles, the game, whoami (reads)."""
    PORTAL = "portal"
    """Secret keys, and publishable keys acting for one verified customer (D18)."""
    LIBRARY = "library"
    """Anyone, with no key at all: the public help center (D25); a key picks the environment."""


PUBLIC: dict[str, Any] = {ACCESS_FIELD: Access.PUBLIC.value}
PORTAL: dict[str, Any] = {ACCESS_FIELD: Access.PORTAL.value}
LIBRARY: dict[str, Any] = {ACCESS_FIELD: Access.LIBRARY.value}
IDENTITY_FIELD = "x-cstar-identity"
PUBLIC_IDENTIFIED: dict[str, Any] = {**PUBLIC, IDENTITY_FIELD: True}
"""A read for any key of the team that shows more through a verified identity (the community's
``members_only`` posts, D43): ``/openapi.json`` documents the identity headers on it."""


def authorize(principal: Principal, access: Access | None, method: str, identified: bool) -> None:
    """Refuse a publishable key what its scope does not allow (D23); secret keys pass."""
    if principal.is_secret or access is Access.LIBRARY:
        return
    if access is Access.PUBLIC or (access is Access.PORTAL and identified):
        return
    if access is None and principal.key_type == ANONYMOUS:
        return  # a library URL no route takes: the app answers 404
    env = principal.environment
    portal = "act for one customer with a verified identity (X-Cstar-Identity)"
    if method in WRITE_METHODS:
        alternative = f", or {portal}" if access is Access.PORTAL else ""
        raise ApiError.forbidden(
            "publishable_key_write",
            f"Publishable keys (pk_{env}_) are read-only. Use a secret key (sk_{env}_) for write "
            f"operations{alternative}.",
        )
    if access is None:
        return  # no such route: the app answers 404 or 405
    message = "Secret key required for this endpoint."
    if access is Access.PORTAL:
        message += f" A publishable key may only {portal} here."
    raise ApiError.forbidden("insufficient_permissions", message)
