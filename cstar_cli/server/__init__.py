"""The local cStar platform served by ``cstar dev``.

A faithful implementation of the cStar REST API on SQLite. ``create_app(settings)`` builds an
independent ASGI app; there is no module-level state, so several platforms can run in one process.
Nothing here imports typer, rich or ``cstar_cli.commands``.
"""

from cstar_cli.server.app import create_app
from cstar_cli.server.settings import PlatformSettings

__all__ = ["PlatformSettings", "create_app"]
