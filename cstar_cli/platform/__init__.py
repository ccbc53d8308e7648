"""The local cStar platform served by ``cstar dev``.

A faithful implementation of the cStar REST API on SQLite. ``create_app(settings)`` builds an
independent ASGI app; there is no module-level state, so several platforms can run in one process.
Nothing here imports typer, rich or ``cstar_cli.cli.commands``. Names resolve lazily: importing a
small helper module of the package does not load FastAPI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "create_app": "cstar_cli.platform.app",
    "PlatformSettings": "cstar_cli.platform.settings",
}

__all__ = ["PlatformSettings", "create_app"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
