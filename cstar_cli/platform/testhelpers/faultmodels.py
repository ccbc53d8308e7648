"""Models of ``/test-helpers/faults`` (D38): a fault as added (on the API or on deliveries) and
as listed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output
from cstar_cli.wire.enums import HttpMethod
from cstar_cli.wire.faults import MAX_DELAY_MS, FaultOn, FaultStatus, SignWith

DelayMs = Annotated[int, Field(ge=0, le=MAX_DELAY_MS, description="Hold it back this long.")]
Count = Annotated[
    int | None,
    Field(ge=1, le=1_000_000, description="How many matches it takes; null: until removed."),
]


class FaultMatch(Input):
    """What a fault matches: ``method`` and ``path`` for ``on: api``; ``eventTypes`` and
    ``webhookId`` for ``on: deliveries``. Each left out matches everything."""

    method: HttpMethod | None = None
    path: Annotated[str, Field(min_length=1, max_length=500, pattern="^/")] | None = Field(
        default=None,
        description="A glob on the path relative to the team: /tickets, /tickets/*/messages.",
    )
    eventTypes: (
        Annotated[
            list[Annotated[str, Field(min_length=1, max_length=100)]],
            Field(min_length=1, max_length=50),
        ]
        | None
    ) = None
    webhookId: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class ApiAnswer(Input):
    status: FaultStatus
    retryAfter: Annotated[int, Field(ge=0, le=3600)] | None = Field(
        default=None, description="Seconds, for a 429 (Retry-After; default 1)."
    )


class FaultCreate(Input):
    """``on: api``: matching API requests fail with ``answer`` or arrive ``delayMs`` late (or
    both). ``on: deliveries``: matching first webhook delivery attempts arrive twice
    (``duplicate``), shuffled within windows of ``reorder``, ``delayMs`` late, or signed with a
    wrong or the previous secret (``signWith``)."""

    on: FaultOn
    match: FaultMatch = Field(default_factory=FaultMatch)
    answer: ApiAnswer | None = None
    delayMs: DelayMs | None = None
    duplicate: bool | None = None
    reorder: Annotated[int, Field(ge=2, le=100)] | None = None
    signWith: SignWith | None = None
    count: Count = Field(
        default=1, description="Matches it takes (default 1; for reorder: one window)."
    )


class Fault(Output):
    id: str
    object: Literal["fault"]
    on: FaultOn
    match: dict[str, Any]
    answer: dict[str, Any] | None = None
    delayMs: int | None = None
    duplicate: bool | None = None
    reorder: int | None = None
    signWith: SignWith | None = None
    count: int | None
    remaining: int | None
    hits: int
    createdAt: str


class FaultsCleared(Output):
    object: Literal["faults_cleared"]
    deleted: int
