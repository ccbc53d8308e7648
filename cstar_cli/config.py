"""Where cstar keeps its files; the only module that reads ``CSTAR_*`` environment variables."""

from __future__ import annotations

import os
from pathlib import Path


def config_home() -> Path:
    """``$CSTAR_HOME``, or the platform's user config dir (``~/.config/cstar`` on Linux)."""
    override = os.environ.get("CSTAR_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("cstar", appauthor=False)


def data_dir() -> Path:
    """Where ``cstar dev`` keeps its database: ``$CSTAR_HOME/data``, else the user data dir."""
    override = os.environ.get("CSTAR_HOME")
    if override:
        return Path(override).expanduser() / "data"
    from platformdirs import user_data_path

    return user_data_path("cstar", appauthor=False)
