"""SQLite storage: one connection per platform, WAL, a schema version table and migrations.

The platform runs on one asyncio event loop and every statement is short, so a single connection
used from that loop is both the simplest and the fastest arrangement. ``transaction()`` opens an
IMMEDIATE transaction; a change and the event it emits are always written in the same one.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cstar_cli.platform.store.files import secure_database_files
from cstar_cli.platform.store.migrations import MIGRATIONS

Row = dict[str, Any]
WAL_SIZE_LIMIT = 16 * 1024 * 1024


def _dict_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {col[0]: value for col, value in zip(cursor.description, row, strict=True)}


class HeldTransactionError(RuntimeError):
    """Another task tried to write while a held unit of work was open: a bug (see
    ``platform.work``: nothing may wait on the network while a unit is held)."""


def _current_task() -> object | None:
    import asyncio

    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class StorageError(Exception):
    """The database file cannot be used (not SQLite, unreadable); the message names the file."""


class Database:
    """The platform's SQLite database (a 0600 file in a 0700 directory, D27)."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._open(path)
        except sqlite3.DatabaseError as err:
            with contextlib.suppress(Exception):
                self.conn.close()
            raise StorageError(f"{path} is not a SQLite database ({err}).") from None
        except OSError as err:
            raise StorageError(f"{path} cannot be opened ({err.strerror or err}).") from None

    def _open(self, path: str) -> None:
        secure_database_files(path)
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = _dict_factory
        # NORMAL in WAL mode keeps every committed transaction across a process kill; only an
        # OS crash or power loss could drop the last few, which is the right trade for a dev server.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=5000")
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []
        self._before_commit: list[Callable[[], None]] = []
        self.holder: object | None = None
        """The task whose unit of work holds the open transaction (D49; see ``platform.work``)."""
        self._checkpointer: _Checkpointer | None = None
        if path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
            # Checkpoints fsync the database file; done inline they stall the event loop for
            # tens of milliseconds. A background thread does them instead (see _Checkpointer).
            self.conn.execute("PRAGMA wal_autocheckpoint=0")
            # When a checkpoint resets the WAL, SQLite trims the file back to this size.
            self.conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
            secure_database_files(path)  # the -wal and -shm files SQLite just made
            self._checkpointer = _Checkpointer(path)
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema up to the newest version, one migration per transaction."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT)"
        )
        row = self.one("SELECT MAX(version) AS v FROM schema_version")
        current = (row or {}).get("v") or 0
        for version, script in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            with self.transaction():
                for statement in _split_sql(script):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_version (version, applied_at) "
                    "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                    (version,),
                )

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the open transaction commits (not if it rolls back); this is
        how the store tells the dispatcher that events were committed. Outside a transaction
        the statement already committed, so ``callback`` runs now."""
        if not self._depth:
            callback()
        elif callback not in self._after_commit:
            self._after_commit.append(callback)

    def before_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` inside the open transaction, just before it commits (once however
        often it is asked for): how a write's events are fanned out in the write's own
        transaction. Outside a transaction it runs now."""
        if not self._depth:
            callback()
        elif callback not in self._before_commit:
            self._before_commit.append(callback)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one IMMEDIATE transaction (nested calls join the outer one)."""
        if self._depth:
            if self.holder is not None and self.holder is not _current_task():
                raise HeldTransactionError("a held unit of work was interleaved")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            while self._before_commit:
                callbacks, self._before_commit = self._before_commit, []
                for callback in callbacks:
                    callback()
        except BaseException:
            self._depth = 0
            self._after_commit.clear()
            self._before_commit.clear()
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        rows: list[Row] = self.conn.execute(sql, params).fetchall()
        return rows

    def insert(self, table: str, values: Row) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())
        )

    def update(self, table: str, key: str, key_value: Any, values: Row) -> None:
        if not values:
            return
        sets = ", ".join(f"{column} = ?" for column in values)
        self.conn.execute(
            f"UPDATE {table} SET {sets} WHERE {key} = ?",
            [*values.values(), key_value],
        )

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.conn.close()


class _Checkpointer:
    """Copies the WAL back into the database file from its own thread and connection.

    PASSIVE checkpoints never block writers, and sqlite3 releases the GIL while it works, so the
    event loop keeps serving while the fsync happens here. Once nothing has been written for
    ``IDLE_SECONDS``, a TRUNCATE checkpoint empties the WAL file, so it never grows without bound
    (``truncated`` is set each time that happens).
    """

    INTERVAL = 0.5
    IDLE_SECONDS = 2.0

    def __init__(self, path: str) -> None:
        self.path = path
        self.truncated = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cstar-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        wal = Path(self.path + "-wal")
        last_version: object = None
        idle_since = time.monotonic()
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            while not self._stop.wait(self.INTERVAL):
                with contextlib.suppress(sqlite3.Error, OSError):
                    version = conn.execute("PRAGMA data_version").fetchone()[0]
                    if version != last_version:
                        last_version, idle_since = version, time.monotonic()
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    elif time.monotonic() - idle_since >= self.IDLE_SECONDS and _size(wal):
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                        if not _size(wal):
                            self.truncated.set()
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def dumps(value: Any) -> str:
    """Compact JSON for a stored column."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | None, default: Any = None) -> Any:
    return default if text is None else json.loads(text)


def _split_sql(script: str) -> list[str]:
    return [part.strip() for part in script.split(";\n") if part.strip()]
