"""Private files of a local platform (D27): a 0700 data dir, 0600 files, no symlink following.

``write_private`` writes a new file beside the target (``O_EXCL | O_NOFOLLOW``) and renames it
into place, so a symlink planted where the file should be is replaced, never written through.
``read_private`` refuses to follow a symlink. The database files are tightened to 0600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def beside_database(db_path: str, suffix: str) -> Path | None:
    """The file named like the database with ``suffix`` (``dev.db`` → ``dev{suffix}``), in the
    same directory; ``None`` for an in-memory database, which has no directory."""
    if db_path == ":memory:":
        return None
    path = Path(db_path)
    return path.with_name(path.stem + suffix)


def keys_file(db_path: str) -> Path | None:
    """Where ``cstar dev`` keeps the seed keys: a 0600 file beside the database."""
    return beside_database(db_path, ".keys.json")


def private_dir(path: Path) -> None:
    """Create ``path`` and every missing parent as 0700 (``mkdir(parents=True)`` would give the
    parents the umask's mode); an existing directory is left alone."""
    if path.is_dir():
        return
    missing = [path, *(p for p in path.parents if not p.exists())]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR)
        with contextlib.suppress(OSError):
            os.chmod(folder, PRIVATE_DIR)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a 0600 file, atomically, without following symlinks."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)  # replaces a planted symlink itself, not what it points to
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_private(path: Path) -> bytes | None:
    """The file's bytes, or ``None`` when it is missing or is a symlink (never followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError:
        if path.is_symlink():
            return None
        raise
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def secure_database_files(db_path: str) -> None:
    """Create the database file 0600 if it is new, and tighten it and its -wal/-shm to 0600."""
    if db_path == ":memory:":
        return
    path = Path(db_path)
    private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | _NOFOLLOW, PRIVATE_FILE))
    for suffix in SQLITE_SUFFIXES:
        sibling = Path(db_path + suffix)
        with contextlib.suppress(FileNotFoundError):
            if sibling.stat().st_mode & 0o077:
                os.chmod(sibling, PRIVATE_FILE)
