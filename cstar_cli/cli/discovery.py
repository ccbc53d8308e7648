"""Finding the local platforms this user runs, so ``cstar login`` can offer them.

Every running ``cstar dev`` announces itself with one file in the user state dir
(``$CSTAR_HOME/state`` when set): ``dev-<pid>.json`` holding ``apiBase``, ``pid``, ``startedAt``
and ``db`` — never a key. It is written 0600 without following symlinks and removed when the
platform stops; an entry whose process is gone is ignored (and tidied away). A platform on the
default port is found by asking it, which also finds one started without an announcement.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cstar_cli.cli.config import state_dir
from cstar_cli.wire.links import LOCAL_API_BASE

PREFIX = "dev-"
PROBE_TIMEOUT = 0.5


@dataclass(frozen=True)
class LocalPlatform:
    """A local platform that answers: where, and what its announcement said."""

    api_base: str
    pid: int | None = None
    started_at: str | None = None
    db: str | None = None

    def describe(self) -> str:
        if self.pid is None:
            return f"{self.api_base} (a cStar platform answers there)"
        since = f", started {self.started_at[11:19]} UTC" if self.started_at else ""
        return f"{self.api_base} (cstar dev, pid {self.pid}{since})"


def announcement_path(pid: int | None = None) -> Path:
    return state_dir() / f"{PREFIX}{os.getpid() if pid is None else pid}.json"


def announce(api_base: str, db: str, started_at: str) -> Path:
    """Write this process's announcement (0600, symlinks replaced, never followed)."""
    from cstar_cli.platform.store.files import write_private

    path = announcement_path()
    body = {"apiBase": api_base, "pid": os.getpid(), "startedAt": started_at, "db": db}
    write_private(path, (json.dumps(body) + "\n").encode())
    return path


def withdraw(path: Path) -> None:
    """Remove an announcement (when its platform stops)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def announced() -> list[LocalPlatform]:
    """Every announcement whose process still runs, newest first; stale files are removed."""
    from cstar_cli.platform.store.files import read_private

    found: list[LocalPlatform] = []
    folder = state_dir()
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob(f"{PREFIX}*.json")):
        try:
            data = json.loads(read_private(path) or b"null")
            entry = LocalPlatform(
                str(data["apiBase"]), int(data["pid"]), data.get("startedAt"), data.get("db")
            )
        except (OSError, ValueError, TypeError, KeyError):
            continue  # unreadable or damaged: not ours to judge
        if not pid_alive(int(entry.pid or 0)):
            withdraw(path)
            continue
        found.append(entry)
    return sorted(found, key=lambda e: e.started_at or "", reverse=True)


def answers(api_base: str) -> bool:
    """True when a cStar platform answers at ``api_base`` (an error envelope will do)."""
    import httpx

    try:
        response = httpx.get(f"{api_base}/api/v1/auth/whoami", timeout=PROBE_TIMEOUT)
    except httpx.HTTPError:
        return False
    return "x-cstar-request-id" in response.headers


def running(
    default: str = LOCAL_API_BASE, probe: Callable[[str], bool] = answers
) -> list[LocalPlatform]:
    """The local platforms that answer: announced ones, then ``default`` if not listed."""
    found = [entry for entry in announced() if probe(entry.api_base)]
    if all(entry.api_base != default for entry in found) and probe(default):
        found.append(LocalPlatform(default))
    return found


def port_holder(host: str, port: int, probe: Callable[[str], bool] = answers) -> str | None:
    """What serves ``host:port``, when it is a cStar platform: ``another cstar dev (pid N,
    started 14:30:05 UTC) is serving 127.0.0.1:8642`` from its announcement, or ``a cStar
    platform already answers at …`` (one started without an announcement); ``None`` otherwise."""
    from urllib.parse import urlsplit

    for entry in announced():  # one port, whichever address of this machine it was bound to
        served = urlsplit(entry.api_base)
        if served.port == port:
            since = f", started {entry.started_at[11:19]} UTC" if entry.started_at else ""
            return f"another cstar dev (pid {entry.pid}{since}) is serving {served.netloc}"
    address = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    api_base = f"http://{address}:{port}"
    return f"a cStar platform already answers at {api_base}" if probe(api_base) else None


def seed_test_key(platform: LocalPlatform) -> str | None:
    """The platform's seed test secret key, when its keys file is readable by this user."""
    from cstar_cli.platform.store.files import keys_file, read_private

    path = keys_file(platform.db) if platform.db else None
    if path is None:
        return None
    try:
        data = json.loads(read_private(path) or b"null")
        key = data["secretKey"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return key if isinstance(key, str) and key.startswith("sk_test_") else None
