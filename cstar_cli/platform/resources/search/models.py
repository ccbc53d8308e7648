"""A search hit (D47): ``{object, id, title | name, snippet}``."""

from __future__ import annotations

from typing import Literal

from cstar_cli.platform.resources.models import Output


class SearchHit(Output):
    object: Literal["ticket", "customer", "article"]
    id: str
    title: str | None = None
    """A ticket's or an article's title."""
    name: str | None = None
    """A customer's name."""
    snippet: str
    """The text around the match (for an article, its content; a customer, the email)."""
