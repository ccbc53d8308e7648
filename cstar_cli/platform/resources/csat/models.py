"""Models of CSAT (D44): settings, surveys and stats — camelCase, like the documented siblings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cstar_cli.platform.resources.models import Input, Output

Question = Annotated[str, Field(min_length=1, max_length=500)]
Rating = Annotated[int, Field(ge=1, le=5)]
SurveyComment = Annotated[str, Field(max_length=5000)]
SendAfter = Literal["closed"]


class CsatSettings(Output):
    object: Literal["csat_settings"]
    enabled: bool
    question: str
    sendAfter: SendAfter
    updatedAt: str | None
    """When they were last changed; ``null`` while they are the defaults."""


class CsatSettingsUpdate(Input):
    enabled: bool | None = None
    question: Question | None = None
    sendAfter: SendAfter | None = None


class Survey(Output):
    id: str
    object: Literal["survey"]
    ticketId: str
    customerId: str | None
    rating: int
    scale: Literal[5]
    comment: str | None
    createdAt: str


class SurveyCreate(Input):
    ticketId: Annotated[str, Field(min_length=1, max_length=64)]
    rating: Rating
    comment: SurveyComment | None = None


class Distribution(Output):
    one: int = Field(alias="1")
    two: int = Field(alias="2")
    three: int = Field(alias="3")
    four: int = Field(alias="4")
    five: int = Field(alias="5")


class CsatStats(Output):
    object: Literal["csat_stats"]
    since: str | None
    until: str | None
    responses: int
    averageRating: float | None
    """Mean rating, two decimals; ``null`` without responses."""
    csatScore: float | None
    """Share of 4 and 5 ratings, 0–100, one decimal; ``null`` without responses."""
    distribution: Distribution
