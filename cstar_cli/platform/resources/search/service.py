"""Search across the desk (D47): tickets by title, customers by name and email, articles by
title and content — within the caller's scope (D23): a secret key sees everything of its
environment; a publishable key, published public articles; through a verified identity (D18),
also that customer's own tickets. Hits are newest first, paged like every list."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.bounds import MAX_SEARCH
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.query import Paging, like_pattern
from cstar_cli.wire.enums import SEARCH_TYPES

SNIPPET_RADIUS = 60
PUBLISHED = "status = 'published' AND is_public = 1"
LIKE = "LIKE ? ESCAPE '\\'"
PARTS = {
    "tickets": (
        "SELECT 'ticket' AS object, id, title AS label, title AS text, rowid AS seq, "
        "created_at FROM tickets",
        ("title",),
    ),
    "customers": (
        "SELECT 'customer' AS object, id, name AS label, email AS text, rowid AS seq, "
        "created_at FROM customers",
        ("name", "email"),
    ),
    "articles": (
        "SELECT 'article' AS object, id, title AS label, COALESCE(content, '') AS text, "
        "rowid AS seq, created_at FROM articles",
        ("title", "content"),
    ),
}
PREFIXES = {"ticket": ids.TICKET, "customer": ids.CUSTOMER, "article": ids.ARTICLE}


def parse_types(types: str | None) -> list[str]:
    """``tickets,articles`` → the kinds to search (all three when omitted); 400 otherwise."""
    if types is None or not types.strip():
        return list(SEARCH_TYPES)
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in SEARCH_TYPES]
    if unknown:
        raise ApiError.invalid(
            f"Unknown type '{unknown[0]}'; types takes a comma list of {', '.join(SEARCH_TYPES)}.",
            param="types",
        )
    return list(dict.fromkeys(wanted))


def snippet(text: str, q: str) -> str:
    """The text around the first match of ``q`` (case-insensitive), on one line."""
    flat = " ".join(text.split())
    at = flat.lower().find(q.lower())
    if at < 0:
        return flat[: 2 * SNIPPET_RADIUS]
    start = max(0, at - SNIPPET_RADIUS)
    end = min(len(flat), at + len(q) + SNIPPET_RADIUS)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


class Search(Service):
    """Search within the caller's scope (read-only)."""

    table = "tickets"
    prefix = ids.TICKET
    param = "q"
    noun = "search"

    def run(self, q: str | None, types: str | None, paging: Paging) -> Page:
        if q is None or not q.strip():
            raise ApiError.missing("q", "The 'q' query parameter is required.")
        if len(q) > MAX_SEARCH:
            raise ApiError.invalid(f"q is at most {MAX_SEARCH} characters.", param="q")
        kinds = [kind for kind in parse_types(types) if self._scope(kind) is not None]
        selects: list[str] = []
        params: list[Any] = []
        pattern = like_pattern(q.strip())
        for kind in kinds:
            sql, columns = PARTS[kind]
            scope, scope_params = self._scope(kind) or ("", [])
            match = " OR ".join(f"{column} {LIKE}" for column in columns)
            selects.append(f"{sql} WHERE team_id = ? AND livemode = ? AND ({match}){scope}")
            params += [self.principal.team_id, int(self.principal.livemode)]
            params += [pattern] * len(columns) + scope_params
        if not selects:
            return Page([], paging.page, paging.page_size, 0)
        union = " UNION ALL ".join(selects)
        total = self.db.one(f"SELECT COUNT(*) AS n FROM ({union})", params)
        rows = self.db.all(
            f"SELECT * FROM ({union}) ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?",
            [*params, paging.page_size, (paging.page - 1) * paging.page_size],
        )
        hits = [self._hit(row, q.strip()) for row in rows]
        return Page(hits, paging.page, paging.page_size, int(total["n"]) if total else 0)

    def _scope(self, kind: str) -> tuple[str, list[Any]] | None:
        """What more a caller who is not a secret key may see of ``kind`` (``None``: nothing)."""
        if self.principal.is_secret:
            return "", []
        if kind == "articles":
            return f" AND {PUBLISHED}", []
        identity = self.caller.identity
        if kind == "tickets" and identity is not None:
            return " AND customer_id = ?", [identity.customer_id]
        return None

    def _hit(self, row: dict[str, Any], q: str) -> dict[str, Any]:
        label = "name" if row["object"] == "customer" else "title"
        return {
            "object": row["object"],
            "id": PREFIXES[row["object"]] + row["id"],
            label: row["label"],
            "snippet": snippet(str(row["text"]), q),
        }
