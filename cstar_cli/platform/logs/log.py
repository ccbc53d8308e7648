"""The API request log (D17): every request, its outcome and timing — never bodies, never keys.

Requests are recorded in memory as they finish, pushed at once to live ``/logs/stream``
subscribers whose filters match, and written to SQLite in small batches by a background task, so
logging costs a request almost nothing. ``GET /logs`` flushes first, so it always sees everything.
Entries are stamped on their team's clock (a test-mode team's may be ahead, D37) and kept until
real time is 30 days past that stamp, at most ``MAX_ROWS`` in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote_plus

from cstar_cli.platform.background import cancel
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.wire.logfilters import LogFilters
from cstar_cli.wire.protocol import CLI_AGENT, MCP_AGENT
from cstar_cli.wire.times import iso

log = logging.getLogger("cstar.platform.logs")

RETENTION_SECONDS = 30 * 24 * 3600
MAX_ROWS = 500_000
FLUSH_INTERVAL = 0.2
PRUNE_INTERVAL = 60.0

COLUMNS = (
    "id",
    "team_id",
    "livemode",
    "method",
    "path",
    "status",
    "duration_ms",
    "source",
    "ip_address",
    "key",
    "idempotency_key",
    "error_type",
    "error_code",
    "error_message",
    "created_at",
    "created_ts",
    "fault",
)


def source_of(user_agent: str) -> str:
    """``source`` from the User-Agent (D17)."""
    agent = user_agent.lower()
    if agent.startswith(CLI_AGENT + "/"):
        return "cli"
    if agent.startswith(MCP_AGENT + "/"):
        return "mcp"
    if "cstar.help/js" in agent or "cstar-sdk" in agent or "cstar-js" in agent:
        return "sdk"
    if agent.startswith("mozilla/"):
        return "dashboard"
    return "api"


@dataclass(frozen=True)
class LogFilter(LogFilters):
    """The filters of ``GET /logs`` and ``/logs/stream``, applied on the server."""

    def for_team(self, team_id: str) -> LogFilter:
        """A path relative to the team (``/tickets``, as the CLI's raw commands take it) made
        absolute; an absolute one (``/api/…``) as it is."""
        if self.path is None or self.path.startswith("/api/"):
            return self
        return replace(self, path=f"/api/v1/teams/{team_id}{self.path}")

    def matches(self, entry: Row) -> bool:
        if self.methods and entry["method"] not in self.methods:
            return False
        if self.statuses and entry["status"] not in self.statuses:
            return False
        if self.status_class and str(entry["status"])[0] != self.status_class[0]:
            return False
        if self.source and entry["source"] != self.source:
            return False
        if self.since is not None and entry["created_ts"] < self.since:
            return False
        return not (self.path and not _path_matches(self.path, entry["path"]))

    def where(self, team_id: str, livemode: bool) -> tuple[str, list[Any]]:
        clauses = ["team_id = ?", "livemode = ?"]
        params: list[Any] = [team_id, int(livemode)]
        if self.methods:
            clauses.append(f"method IN ({','.join('?' * len(self.methods))})")
            params += self.methods
        if self.statuses:
            clauses.append(f"status IN ({','.join('?' * len(self.statuses))})")
            params += self.statuses
        if self.status_class:
            low = int(self.status_class[0]) * 100
            clauses.append("status BETWEEN ? AND ?")
            params += [low, low + 99]
        if self.source:
            clauses.append("source = ?")
            params.append(self.source)
        if self.since is not None:
            clauses.append("created_ts >= ?")
            params.append(self.since)
        if self.path:
            if "*" in self.path:
                clauses.append("path GLOB ?")
                params.append(self.path.replace("[", "[[]").replace("?", "[?]"))
            else:
                clauses.append("substr(path, 1, ?) = ?")
                params += [len(self.path), self.path]
        return " AND ".join(clauses), params


REDACTED_PARAMS = frozenset({"key", "identity", "identityHash", "token"})
"""Credentials a browser may have to put in a query: keys, identities (D26), inspector tokens
(D31's links, D48's session tokens on the live stream)."""


def redact_query(query: str) -> str:
    """The query string with credentials (``key``, ``identity``, ``identityHash``, ``token``)
    redacted."""
    pieces = []
    for piece in query.split("&"):
        name, sep, value = piece.partition("=")
        if sep and value and unquote_plus(name) in REDACTED_PARAMS:
            piece = f"{name}=redacted"
        pieces.append(piece)
    return "&".join(pieces)


def _path_matches(pattern: str, path: str) -> bool:
    if "*" in pattern:
        return fnmatch.fnmatchcase(path, pattern.replace("[", "[[]").replace("?", "[?]"))
    return path.startswith(pattern)


def serialize(entry: Row) -> dict[str, Any]:
    error = None
    if entry["error_code"] is not None:
        error = {
            "type": entry["error_type"],
            "code": entry["error_code"],
            "message": entry["error_message"],
        }
    return {
        "id": entry["id"],
        "object": "request_log",
        "seq": entry["seq"],
        "method": entry["method"],
        "path": entry["path"],
        "status": entry["status"],
        "durationMs": entry["duration_ms"],
        "source": entry["source"],
        "ipAddress": entry["ip_address"],
        "key": entry["key"],
        "idempotencyKey": entry["idempotency_key"],
        "error": error,
        "livemode": bool(entry["livemode"]),
        "createdAt": entry["created_at"],
        "fault": entry.get("fault"),
    }


@dataclass(eq=False)
class Subscriber:
    """A live ``/logs/stream`` connection of one team and environment."""

    team_id: str
    livemode: bool
    filter: LogFilter
    close: Callable[[], Awaitable[None]] | None = None
    queue: asyncio.Queue[Row] = field(default_factory=asyncio.Queue)


class RequestLog:
    """Records requests, serves queries and feeds live subscribers."""

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        self._buffer: list[Row] = []
        self._next_seq: int | None = None
        self.subscribers: set[Subscriber] = set()
        self._task: asyncio.Task[None] | None = None
        self._last_prune = 0.0

    def _seq(self) -> int:
        seq = self._peek_next()
        self._next_seq = seq + 1
        return seq

    def last_seq(self) -> int:
        """The ``seq`` of the newest entry so far (0 when there is none)."""
        return self._peek_next() - 1

    def _peek_next(self) -> int:
        if self._next_seq is None:
            row = self.db.one("SELECT COALESCE(MAX(seq), 0) AS s FROM request_logs")
            self._next_seq = int(row["s"] if row else 0) + 1
        return self._next_seq

    def record(self, entry: Row) -> None:
        """Add one finished request: live subscribers see it now, the database soon."""
        entry["seq"] = self._seq()
        self._buffer.append(entry)
        for subscriber in self.subscribers:
            if (
                subscriber.team_id == entry["team_id"]
                and subscriber.livemode == bool(entry["livemode"])
                and subscriber.filter.matches(entry)
            ):
                subscriber.queue.put_nowait(entry)

    def flush(self) -> None:
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        with self.db.transaction():
            self.db.conn.executemany(
                f"INSERT INTO request_logs (seq, {', '.join(COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(COLUMNS))})",
                [(e["seq"], *(e[c] for c in COLUMNS)) for e in batch],
            )

    def query(
        self,
        team_id: str,
        livemode: bool,
        flt: LogFilter,
        *,
        after: int = 0,
        limit: int = 100,
        offset: int = 0,
        newest_first: bool = True,
    ) -> tuple[list[Row], int]:
        self.flush()
        where, params = flt.where(team_id, livemode)
        if after:
            where += " AND seq > ?"
            params.append(after)
        total_row = self.db.one(f"SELECT COUNT(*) AS n FROM request_logs WHERE {where}", params)
        order = "DESC" if newest_first else "ASC"
        rows = self.db.all(
            f"SELECT * FROM request_logs WHERE {where} ORDER BY seq {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return rows, int(total_row["n"]) if total_row else 0

    def prune(self) -> None:
        cutoff = self.clock() - RETENTION_SECONDS
        with self.db.transaction():
            self.db.execute("DELETE FROM request_logs WHERE created_ts < ?", (cutoff,))
            self.db.execute(
                "DELETE FROM request_logs WHERE seq <= (SELECT MAX(seq) FROM request_logs) - ?",
                (MAX_ROWS,),
            )

    async def disconnect_all(self) -> None:
        """Close every live stream (tests use this to simulate network drops)."""
        for subscriber in list(self.subscribers):
            if subscriber.close is not None:
                with contextlib.suppress(Exception):
                    await subscriber.close()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="cstar-request-log")

    async def stop(self) -> None:
        await cancel(self._task)
        self.flush()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_INTERVAL)
            try:
                self.flush()
                if time.monotonic() - self._last_prune > PRUNE_INTERVAL:
                    self._last_prune = time.monotonic()
                    self.prune()
            except Exception:
                log.exception("request log flush failed")


def error_fields(status: int, body: bytes) -> tuple[str | None, str | None, str | None]:
    """``(type, code, message)`` from an error envelope, if the body is one."""
    if status < 400 or not body:
        return None, None, None
    try:
        error = json.loads(body).get("error") or {}
    except (ValueError, AttributeError):
        return "api_error", "unknown", None
    if not isinstance(error, dict):
        return None, None, None
    return error.get("type"), error.get("code"), error.get("message")


def entry_for(
    *,
    request_id: str,
    team_id: str,
    livemode: bool,
    method: str,
    path: str,
    status: int,
    duration_ms: float,
    user_agent: str,
    ip_address: str | None,
    key: str | None,
    idempotency_key: str | None,
    error: tuple[str | None, str | None, str | None],
    now: float,
    fault: str | None = None,
) -> Row:
    return {
        "id": request_id,
        "team_id": team_id,
        "livemode": int(livemode),
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(duration_ms, 2),
        "source": source_of(user_agent),
        "ip_address": ip_address,
        "key": key,
        "idempotency_key": idempotency_key,
        "error_type": error[0],
        "error_code": error[1],
        "error_message": error[2],
        "created_at": iso(now),
        "created_ts": now,
        "fault": fault,
    }
