"""Where cstar keeps its files and how settings resolve; the only module reading ``CSTAR_*``.

``$CSTAR_HOME/config.toml`` holds one table per profile::

    [default]
    api_base = "http://127.0.0.1:8642"
    team_id = "…"

Precedence for every setting: command-line flag > environment variable > profile > default;
the settings a project shares in ``cstar.toml`` (D40, :mod:`cstar_cli.cli.settings`) have a layer
more: flag > environment > project file > profile > default.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cstar_cli.cli.errors import ConfigError, UsageError

DEFAULT_PROFILE = "default"
KEYRING_TIMEOUT = 3.0
COLOR_CHOICES = ("auto", "always", "never")

# Settings a user may change with `cstar config set`; the rest are written by `cstar login`.
USER_SETTINGS: dict[str, str] = {
    "api_base": "API base URL, e.g. http://127.0.0.1:8642 for `cstar dev`.",
    "color": "auto, always or never.",
}
LOGIN_SETTINGS: dict[str, str] = {
    "team_id": "Team the key belongs to (set by `cstar login`).",
    "team_name": "Team name (set by `cstar login`).",
    "team_slug": "Team slug (set by `cstar login`).",
    "environment": "test or live (set by `cstar login`).",
    "key_id": "Id of the stored key (set by `cstar login`).",
    "key_type": "secret or publishable (set by `cstar login`).",
    "key_hint": "Redacted form of the stored key (set by `cstar login`).",
}
KNOWN_SETTINGS = {**USER_SETTINGS, **LOGIN_SETTINGS}
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LAYERED_PREFIXES = ("CSTAR_LISTEN_", "CSTAR_DEV_")
"""The environment's layer of the project file's settings: ``CSTAR_LISTEN_FORWARD_TO``, …"""


def config_home() -> Path:
    """``$CSTAR_HOME``, or the platform's user config dir (``~/.config/cstar`` on Linux)."""
    override = os.environ.get("CSTAR_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("cstar", appauthor=False)


def _user_dir(kind: str) -> Path:
    """``$CSTAR_HOME/<kind>``, else the platform's user ``<kind>`` dir (data, state, cache)."""
    override = os.environ.get("CSTAR_HOME")
    if override:
        return Path(override).expanduser() / kind
    import platformdirs

    path: Path = getattr(platformdirs, f"user_{kind}_path")("cstar", appauthor=False)
    return path


def data_dir() -> Path:
    """Where ``cstar dev`` keeps its database: ``$CSTAR_HOME/data``, else the user data dir."""
    return _user_dir("data")


def state_dir() -> Path:
    """Where running ``cstar dev`` platforms announce themselves: ``$CSTAR_HOME/state``, else
    the user state dir (``~/.local/state/cstar`` on Linux)."""
    return _user_dir("state")


def cache_dir() -> Path:
    """What cstar may rebuild at any time: ``$CSTAR_HOME/cache``, else the user cache dir."""
    return _user_dir("cache")


@dataclass(frozen=True)
class EnvSettings:
    """The ``CSTAR_*`` environment variables cstar understands."""

    profile: str | None
    api_key: str | None
    api_base: str | None
    no_keyring: bool
    debug: bool
    keyring_timeout: float
    local_api_base: str | None = None
    """``CSTAR_LOCAL_API_BASE``: where ``cstar login`` looks for an unannounced local platform
    (default ``http://127.0.0.1:8642``, the port ``cstar dev`` uses by default)."""
    layered: Mapping[str, str] = field(default_factory=dict)
    """``CSTAR_LISTEN_*`` and ``CSTAR_DEV_*`` that are set (not empty), by name: the project
    file's settings from the environment (:mod:`cstar_cli.cli.settings`)."""

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> EnvSettings:
        env = os.environ if environ is None else environ
        timeout = KEYRING_TIMEOUT
        raw_timeout = env.get("CSTAR_KEYRING_TIMEOUT")
        if raw_timeout:
            try:
                timeout = max(0.01, float(raw_timeout))
            except ValueError:
                raise UsageError(
                    f"CSTAR_KEYRING_TIMEOUT must be a number of seconds, not {raw_timeout!r}.",
                    "Unset it or set it to e.g. 3.",
                ) from None
        return cls(
            profile=env.get("CSTAR_PROFILE") or None,
            api_key=(env.get("CSTAR_API_KEY") or "").strip() or None,
            api_base=env.get("CSTAR_API_BASE") or None,
            no_keyring=env.get("CSTAR_NO_KEYRING", "") not in ("", "0", "false"),
            debug=env.get("CSTAR_DEBUG") == "1",
            keyring_timeout=timeout,
            local_api_base=(env.get("CSTAR_LOCAL_API_BASE") or "").rstrip("/") or None,
            layered={
                name: value
                for name, value in env.items()
                if name.startswith(LAYERED_PREFIXES) and value.strip()
            },
        )


PASSED_TO_SERVERS = ("CSTAR_HOME", "CSTAR_NO_KEYRING")
"""Set for servers an AI tool starts (they get a minimal environment): where the profile is."""


def passthrough_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``CSTAR_*`` settings an MCP client must pass on to ``cstar mcp-server``."""
    env = os.environ if environ is None else environ
    return {name: env[name] for name in PASSED_TO_SERVERS if env.get(name)}


def debug_enabled() -> bool:
    """``CSTAR_DEBUG=1``: show tracebacks."""
    return os.environ.get("CSTAR_DEBUG") == "1"


def check_profile_name(name: str) -> str:
    if not PROFILE_NAME.match(name):
        raise UsageError(
            f"Invalid profile name {name!r}.",
            "Use letters, digits, '-', '_' or '.', up to 64 characters.",
        )
    return name


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|\"?{re.escape(key)}\"?\s*=)")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def not_toml(path: Path, err: ValueError, text: str = "") -> str:
    """``"PATH, line L, column C: not valid TOML (reason)."`` for a ``TOMLDecodeError``; one at
    the end of ``text`` (an unclosed array) names its last line."""
    detail = str(err)
    match = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    if match is not None:
        reason = detail[: match.start()].strip()
        where = f"line {match.group(1)}, column {match.group(2)}"
        return f"{path}, {where}: not valid TOML ({reason})."
    match = re.search(r"\(at end of document\)", detail)
    if match is not None and text.strip():
        reason = detail[: match.start()].strip()
        last = len(text.rstrip().splitlines())
        return f"{path}, line {last} (the end of the file): not valid TOML ({reason})."
    return f"{path}: not valid TOML ({detail})."


class ConfigFile:
    """``config.toml``: read once on demand, validated, written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, dict[str, Any]] | None = None

    def _invalid(self, text: str, key: str, problem: str) -> ConfigError:
        line = _line_of(text, key)
        where = f"{self.path}, line {line}" if line else str(self.path)
        return ConfigError(
            f"{where}: {problem}",
            f"Fix or delete that line (each profile is a table like [default] with "
            f'key = "value" lines), or remove {self.path} and run `cstar login` again.',
        )

    def load(self) -> dict[str, dict[str, Any]]:
        """All profiles (empty when the file does not exist)."""
        if self._data is not None:
            return self._data
        import tomllib

        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            self._data = {}
            return self._data
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(
                f"Cannot read {self.path}: {getattr(err, 'strerror', None) or err}.",
                "Check the file's permissions, or set CSTAR_HOME to another directory.",
            ) from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(
                not_toml(self.path, err, text),
                f"Fix that line, or remove {self.path} and run `cstar login` again.",
            ) from None
        profiles: dict[str, dict[str, Any]] = {}
        for name, table in raw.items():
            if not isinstance(table, dict):
                raise self._invalid(
                    text, name, f"{name!r} must be a profile table like [{name}], not a value."
                )
            for key, value in table.items():
                if key in KNOWN_SETTINGS and not isinstance(value, str):
                    raise self._invalid(
                        text, key, f"[{name}] {key} must be a string in quotes, not {value!r}."
                    )
            color = table.get("color")
            if color is not None and color not in COLOR_CHOICES:
                raise self._invalid(
                    text, "color", f"[{name}] color must be auto, always or never, not {color!r}."
                )
            profiles[name] = dict(table)
        self._data = profiles
        return profiles

    def profile(self, name: str) -> dict[str, Any] | None:
        return self.load().get(name)

    def update(self, name: str, values: Mapping[str, Any], *, remove: tuple[str, ...] = ()) -> None:
        """Set ``values`` (None removes) and drop ``remove`` keys in profile ``name``; save."""
        profiles = self.load()
        table = dict(profiles.get(name, {}))
        for key, value in values.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
        for key in remove:
            table.pop(key, None)
        profiles[name] = table
        self.save()

    def save(self) -> None:
        import tomli_w

        text = tomli_w.dumps(self.load())
        write_private_text(self.path, text, mode=0o600)


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (mode 0700) or explain why it cannot be used."""
    from cstar_cli.platform.store.files import private_dir

    try:
        private_dir(directory)
    except OSError as err:
        raise ConfigError(
            f"Cannot create {directory}: {err.strerror or err}.",
            "Set CSTAR_HOME to a directory you can write to.",
        ) from None


def write_private_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write ``text`` atomically with ``mode``; a clear ConfigError if the directory refuses."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ConfigError(
            f"Cannot write {path}: {err.strerror or err}.",
            f"Make {path.parent} writable, or set CSTAR_HOME to a directory you can write to.",
        ) from None
