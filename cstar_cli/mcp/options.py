"""What ``cstar mcp-server`` was asked to do, and the config snippet for an MCP client.

Standard library only: ``--print-config`` and the checks before serving never import the SDK.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LIVE_PREFIXES = ("sk_live_", "pk_live_")


@dataclass(frozen=True)
class ServerOptions:
    """Credentials and safety switches of one MCP server."""

    api_key: str
    api_base: str
    team_id: str | None = None
    read_only: bool = False
    tools: tuple[str, ...] | None = None
    """Allow-list of tool names (``--tools``); None means every tool the mode allows."""
    allow_live_writes: bool = False
    timeout: float = 30.0
    verbose: bool = False

    @property
    def live(self) -> bool:
        """True for a live-mode key: writes then need ``allow_live_writes``."""
        return self.api_key.startswith(LIVE_PREFIXES)

    @property
    def environment(self) -> str:
        return "live" if self.live else "test"


def parse_tool_list(text: str | None) -> tuple[str, ...] | None:
    """``"a, b,a"`` → ``("a", "b")``; None or blank → None."""
    if text is None:
        return None
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    return names or None


def cstar_command(
    executable: str = sys.executable, argv0: str | None = None
) -> tuple[str, list[str]]:
    """How an MCP client should start this cstar: an absolute ``cstar`` path, or ``python -m``.

    Prefers the ``cstar`` script that is running (``argv0``), then the one installed beside
    the interpreter; falls back to ``<python> -m cstar_cli``, which always works.
    """
    candidates: list[Path] = []
    if argv0 and Path(argv0).name in ("cstar", "cstar.exe"):
        candidates.append(Path(argv0))
    bin_dir = Path(executable).parent
    candidates += [bin_dir / "cstar", bin_dir / "cstar.exe"]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path.resolve()), []
    return str(Path(executable).resolve()), ["-m", "cstar_cli"]


def client_config(
    *,
    profile: str | None = None,
    api_base: str | None = None,
    read_only: bool = False,
    tools: Sequence[str] | None = None,
    allow_live_writes: bool = False,
    environment: Mapping[str, str] | None = None,
    command: tuple[str, list[str]] | None = None,
    server_name: str = "cstar",
) -> dict[str, Any]:
    """The ``{"mcpServers": {...}}`` snippet for an MCP client's config file.

    Never contains a key: the server reads it from the profile (``cstar login``) when it starts.
    ``environment`` is what the server must be started with (MCP clients start servers with a
    minimal environment): the caller knows where the profile lives.
    """
    program, prefix = command or cstar_command(argv0=sys.argv[0] if sys.argv else None)
    args = [*prefix, "mcp-server", "--stdio"]
    if profile:
        args += ["--profile", profile]
    if api_base:
        args += ["--api-base", api_base]
    if read_only:
        args.append("--read-only")
    if tools:
        args += ["--tools", ",".join(tools)]
    if allow_live_writes:
        args.append("--allow-live-writes")
    entry: dict[str, Any] = {"command": program, "args": args}
    if environment:
        entry["env"] = dict(environment)
    return {"mcpServers": {server_name: entry}}
