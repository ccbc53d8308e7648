"""SQLite storage: the WAL is emptied when the platform is idle, so it never grows unbounded."""

from __future__ import annotations

from pathlib import Path

from cstar_cli.platform.store.db import Database


def test_an_idle_platform_truncates_its_wal(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "dev.db"))
    try:
        db.execute("CREATE TABLE load (id INTEGER PRIMARY KEY, blob TEXT)")
        for _batch in range(50):
            with db.transaction():
                for _ in range(100):
                    db.execute("INSERT INTO load (blob) VALUES (?)", ("x" * 500,))
        wal = Path(f"{tmp_path / 'dev.db'}-wal")
        assert db._checkpointer is not None
        assert db._checkpointer.truncated.wait(60), "the WAL was never truncated"
        assert wal.stat().st_size == 0
        row = db.one("SELECT COUNT(*) AS n FROM load")
        assert row is not None and row["n"] == 5000  # nothing was lost on the way
    finally:
        db.close()
