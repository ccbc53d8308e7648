"""Schema migrations, oldest first: the ``schema/NNNN_*.sql`` files of this package.

Never edit a released migration; append a new file with the next number. Statements end with
``;`` at the end of a line; a file runs in one transaction.

Conventions: ids are 32-hex UUIDs without dashes (the wire adds the prefix, see ``ids.py``);
every team resource is scoped by ``team_id`` and ``livemode`` so test and live data never meet;
times are ISO-8601 UTC strings with milliseconds; lists and objects are JSON text.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_DIR = Path(__file__).with_name("schema")


def _scripts() -> list[str]:
    files = sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    numbers = [int(path.name[:4]) for path in files]
    if numbers != list(range(1, len(files) + 1)):
        raise RuntimeError(f"Migrations in {SCHEMA_DIR} are not numbered 1..N: {numbers}")
    return [path.read_text(encoding="utf-8") for path in files]


MIGRATIONS: list[str] = _scripts()
