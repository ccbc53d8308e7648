"""What every route module shares: the :class:`~cstar_cli.platform.resources.service.Caller` a
request makes, and the query parameters of lists (``page``, ``pageSize``, ``sort``, ``search``,
booleans). Routes parse, build their resource's service for :func:`caller_of`, call it and
answer with what it returns."""

from __future__ import annotations

from typing import Any

from fastapi import Query, Request

from cstar_cli.platform.http.bounds import MAX_PAGE, MAX_SEARCH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.identity import Identity
from cstar_cli.platform.resources.service import Caller
from cstar_cli.platform.store.query import Paging

__all__ = ["Paging"]

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def caller_of(request: Request) -> Caller:
    """Who is calling: the platform, the key's principal, the request's unit of work and id,
    and the customer a publishable key acts for through a verified identity (D18, D23)."""
    state = request.scope["state"]
    return Caller(
        platform=request.app.state.platform,
        principal=state["principal"],
        work=state["work"],
        request_id=state.get("request_id"),
        identity=acting_for(request),
    )


def acting_for(request: Request) -> Identity | None:
    """The customer a publishable key acts for; ``None`` for secret keys (never narrowed)."""
    state = request.scope.get("state", {})
    principal = state.get("principal")
    if principal is None or principal.is_secret:
        return None
    identity: Identity | None = state.get("identity")
    return identity


PAGE = Query(1, ge=1, le=MAX_PAGE, description=f"Page number, 1 to {MAX_PAGE}.")
PAGE_SIZE = Query(
    DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}."
)


def search_query(description: str) -> Any:
    """The ``search`` parameter of a list route: optional text, at most ``MAX_SEARCH`` long."""
    return Query(None, max_length=MAX_SEARCH, description=description)


async def page_params(  # async: FastAPI would run a plain function in a worker thread
    page: int = PAGE,
    pageSize: int = PAGE_SIZE,
    sort: str | None = Query(
        None, description="Field to sort by; prefix with '-' for descending. Default -createdAt."
    ),
) -> Paging:
    """FastAPI dependency for ``page``, ``pageSize`` (D3, D32) and ``sort`` (D4)."""
    return Paging(page, pageSize, sort)


def bool_query(value: str | None, param: str) -> bool | None:
    """A boolean query parameter: ``true``/``1`` or ``false``/``0`` (anything else is a 400)."""
    if value is None:
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ApiError.invalid(f"{param} must be true or false.", param=param)
