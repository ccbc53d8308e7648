"""The settings a project shares in ``cstar.toml`` (D40) and the layers each one comes from.

Each setting has a flag, an environment variable, a place in the project file and one in a
profile (``[default.listen]`` in ``config.toml``). A flag wins over the environment, the
environment over the project file, the file over the profile; a list given in a layer replaces
the lower layers' list whole. :func:`resolve` says which layer gave the value (:class:`Origin`),
and every value a file or the environment gives is checked where it is read, so a bad one is an
error naming where it stands (``/p/cstar.toml: [listen].forward-to[2]: …``, exit 2).

Standard library only at import time: reading the project file stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cstar_cli.cli.errors import UsageError

PROJECT_FILE = "cstar.toml"
OriginKind = Literal["flag", "env", "project", "profile", "default"]


class ProjectFileError(UsageError, code="project_file_invalid"):
    """A project file, a profile table or a ``CSTAR_LISTEN_*``/``CSTAR_DEV_*`` variable holds
    something cstar cannot use (exit 2)."""


class Bad(ValueError):
    """A value that does not fit; ``sub`` is where inside it (``[2]``, ``.X-Team``)."""

    def __init__(self, problem: str, sub: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.sub = sub


# -- kinds of values: from TOML, and from text (an environment variable, `cstar config set`) ----


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise Bad(f"must be a list of strings, not {_toml(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise Bad(f"must be a string in quotes, not {_toml(item)}", f"[{index}]")
    return value


def _routes(items: list[str]) -> list[str]:
    from cstar_cli.listen.targets import InvalidForwardTarget, parse_route

    seen: set[tuple[str, tuple[str, ...]]] = set()
    for index, item in enumerate(items):
        try:
            route = parse_route(item)
        except InvalidForwardTarget as err:
            raise Bad(f"{err.value!r}{err.problem}", f"[{index}]") from None
        if (route.target, route.patterns) in seen:
            raise Bad(f"{item!r} is given twice", f"[{index}]")
        seen.add((route.target, route.patterns))
    return items


def _patterns(items: list[str]) -> list[str]:
    from cstar_cli.wire import catalog

    for index, item in enumerate(items):
        try:
            catalog.validate_patterns([item])
        except ValueError as err:
            raise Bad(str(err), f"[{index}]") from None
    if not items:
        raise Bad("is empty: leave it out to receive every event, or name some")
    return catalog.validate_patterns(items)


def _header_name(name: str) -> str:
    """A header name as given (trimmed); :class:`Bad` when it is empty or holds a space."""
    clean = name.strip()
    if not clean or any(c.isspace() for c in clean):
        raise Bad(f"{name!r} is not a header name")
    return clean


def _headers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Bad(f'must be a table of names and values, like {{ X-Team = "blue" }}, not {value!r}')
    headers: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(text, str):
            raise Bad(f"must be a string in quotes, not {_toml(text)}", f".{name}")
        try:
            headers[_header_name(name)] = text.strip()
        except Bad as err:
            raise Bad(err.problem, f".{name}") from None
    return headers


def _header_lines(text: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in filter(str.strip, text.splitlines()):
        name, sep, value = line.partition(":")
        if not sep:
            raise Bad(f"{line.strip()!r} is not 'Name: value' (one header a line)")
        headers[_header_name(name)] = value.strip()
    return headers


def _port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise Bad(f"must be a port number from 0 to 65535 (0 picks a free one), not {_toml(value)}")
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Bad(f"must be a file path in quotes, not {_toml(value)}")
    return value


def _scale(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0.0001:
        raise Bad(f"must be a number of at least 0.0001, not {_toml(value)}")
    return float(value)


def _number(kind: type[int] | type[float]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return kind(text.strip())
        except ValueError:
            raise Bad(f"{text!r} is not a number") from None

    return parse


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


@dataclass(frozen=True)
class Kind:
    """How a setting's value is read from TOML (``toml``), or from one string (``text``: an
    environment variable, ``cstar config set``); both give the same normalised value."""

    toml: Callable[[Any], Any]
    text: Callable[[str], Any]
    show: Callable[[Any], str] = str
    """The value on one line, for tables (``-``: none)."""
    is_path: bool = False


def _list(
    check: Callable[[list[str]], list[str]], split: Callable[[str], list[str]], sep: str
) -> Kind:
    return Kind(
        lambda value: check(_strings(value)),
        lambda text: check(split(text)),
        lambda items: sep.join(items) if items else "-",
    )


def _show_headers(headers: dict[str, str]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in headers.items()) or "-"


ROUTES = _list(_routes, str.split, " ")
PATTERNS = _list(_patterns, lambda text: [item for item in text.split(",") if item.strip()], ",")
ORIGINS = _list(lambda items: items, lambda text: text.replace(",", " ").split(), " ")
HEADERS = Kind(_headers, _header_lines, _show_headers)
PORT = Kind(_port, lambda text: _port(_number(int)(text)))
PATH = Kind(_path, _path, lambda value: value or "-", is_path=True)
SCALE = Kind(_scale, lambda text: _scale(_number(float)(text)))


@dataclass(frozen=True)
class Key:
    """One setting: ``[section] name`` in the project file."""

    section: Literal["listen", "dev"]
    name: str
    flag: str
    kind: Kind
    default: Any
    example: str

    @property
    def dotted(self) -> str:
        """``listen.forward-to``: its name for ``cstar config``."""
        return f"{self.section}.{self.name}"

    @property
    def env(self) -> str:
        """``CSTAR_LISTEN_FORWARD_TO``."""
        return f"CSTAR_{self.section}_{self.name}".upper().replace("-", "_")


KEYS: dict[str, Key] = {
    key.dotted: key
    for key in (
        Key("listen", "forward-to", "--forward-to", ROUTES, [],
            'forward-to = ["3000/webhooks", "boss.*,player.*=localhost:4000/game"]'),
        Key("listen", "events", "--events", PATTERNS, None, 'events = ["ticket.*", "boss.*"]'),
        Key("listen", "headers", "--header", HEADERS, {}, 'headers = { X-Team = "blue" }'),
        Key("dev", "port", "--port", PORT, 8642, "port = 0"),
        Key("dev", "db", "--db", PATH, None, 'db = ".cstar/dev.db"'),
        Key("dev", "seed", "--seed", PATH, None, 'seed = "fixtures/seed.json"'),
        Key("dev", "cors-origin", "--cors-origin", ORIGINS, [],
            'cors-origin = ["http://localhost:5173"]'),
        Key("dev", "retry-scale", "--retry-scale", SCALE, 1.0, "retry-scale = 0.01"),
    )
}  # fmt: skip
SECTIONS = ("listen", "dev")


# -- where a value came from ---------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A layer: ``kind`` and its ``name`` (the flag, the variable, the project file's path, the
    profile); ``file`` is the profile's ``config.toml``."""

    kind: OriginKind
    name: str = ""
    file: str = ""

    def __str__(self) -> str:
        return {
            "flag": f"flag {self.name}",
            "env": f"env {self.name}",
            "project": self.name,
            "profile": f"profile {self.name} ({self.file})",
        }.get(self.kind, "default")

    def at(self, section: str, name: str = "", sub: str = "") -> str:
        """Where a table or key stands in this layer: ``/p/cstar.toml: [listen].forward-to[2]``."""
        key = f".{name}{sub}" if name else ""
        if self.kind == "project":
            return f"{self.name}: [{section}]{key}"
        if self.kind == "profile":
            return f"{self.file}: [{self.name}.{section}]{key}"
        return self.name or "default"

    def of(self, key: Key) -> str:
        return self.at(key.section, key.name)


@dataclass(frozen=True)
class Setting:
    """A value, the layer it came from, and where it stands there (``--port``,
    ``/p/cstar.toml: [dev].port``), for messages about it."""

    value: Any
    origin: Origin
    where: str


def check_tables(raw: Mapping[str, Any], origin: Origin, base: Path | None) -> dict[str, Any]:
    """The settings of ``[listen]`` and ``[dev]`` tables, checked and by dotted name; relative
    paths resolve against ``base`` (the project file's folder). Anything else is an error."""
    from cstar_cli.cli.suggest import did_you_mean

    values: dict[str, Any] = {}
    for section, table in raw.items():
        if section not in SECTIONS and not isinstance(table, dict):  # port = 0, above any table
            owners = [f"[{key.section}]" for key in KEYS.values() if key.name == section]
            raise ProjectFileError(
                f"{origin.name}: {section}: a value outside the [listen] and [dev] tables.",
                f"Put it in {' or '.join(owners)}." if owners else _known(),
                code="unknown_setting",
            )
        if section not in SECTIONS:
            raise ProjectFileError(
                f"{origin.at(section)}: unknown table.{did_you_mean(section, SECTIONS)}",
                _known(),
                code="unknown_setting",
            )
        if not isinstance(table, dict):
            raise ProjectFileError(
                f"{origin.at(section)}: must be a table of settings, not {_toml(table)}.",
                _known(),
            )
        names = [key.name for key in KEYS.values() if key.section == section]
        for name, value in table.items():
            key = KEYS.get(f"{section}.{name}")
            if key is None:
                raise ProjectFileError(
                    f"{origin.at(section, name)}: unknown key.{did_you_mean(name, names)}",
                    f"[{section}] takes {', '.join(names)}.",
                    code="unknown_setting",
                )
            values[key.dotted] = _read(key, origin, key.kind.toml, value, base)
    return values


def read_text(key: Key, text: str, origin: Origin) -> Any:
    """``key``'s value from one string (an environment variable, ``cstar config set``)."""
    return _read(key, origin, key.kind.text, text, None)


def _read(
    key: Key, origin: Origin, parse: Callable[[Any], Any], raw: Any, base: Path | None
) -> Any:
    try:
        value = parse(raw)
    except Bad as err:
        where = origin.at(key.section, key.name, err.sub)
        end = "" if err.problem.endswith((".", "?", "!")) else "."
        raise ProjectFileError(f"{where}: {err.problem}{end}", f"Example: {key.example}") from None
    if key.kind.is_path and base is not None and value not in (":memory:", "-"):
        path = Path(value).expanduser()
        value = str(path if path.is_absolute() else base / path)
    return value


def _known() -> str:
    def names(section: str) -> str:
        return ", ".join(key.name for key in KEYS.values() if key.section == section)

    return f"[listen] takes {names('listen')}; [dev] takes {names('dev')}."


def resolve(key: Key, flag: Any, env: Mapping[str, str], layers: Sequence[Layer]) -> Setting:
    """``key``'s value by precedence: ``flag`` (``None``: not given) > ``env`` > ``layers`` (the
    project file, then the profile) > the default."""
    origin = Origin("default")
    value = key.default
    if flag is not None:
        origin, value = Origin("flag", key.flag), flag
    elif key.env in env:
        origin = Origin("env", key.env)
        value = read_text(key, env[key.env], origin)
    else:
        layer = next((layer for layer in layers if key.dotted in layer.values), None)
        if layer is not None:
            origin, value = layer.origin, layer.values[key.dotted]
    return Setting(value, origin, origin.of(key))


def notice(settings: Mapping[str, Setting]) -> str | None:
    """What a command says when the project file gave some of its settings: which file."""
    used = [(KEYS[name], s.origin) for name, s in settings.items() if s.origin.kind == "project"]
    if not used:
        return None
    names = ", ".join(key.name for key, _ in used)
    return f"Using [{used[0][0].section}] {names} from {used[0][1].name}."


@dataclass(frozen=True)
class Layer:
    """The checked settings a file gives (the project file, a profile), by dotted name."""

    origin: Origin
    values: dict[str, Any]


# -- the project file ----------------------------------------------------------------------------


def find_project_file(start: Path) -> Path | None:
    """``cstar.toml`` in ``start`` or the nearest folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def load_project_file(path: Path) -> Layer:
    """The checked settings of the project file at ``path`` (exit 2 naming it when it cannot be
    read, is not TOML, or holds an unknown key or a bad value)."""
    import tomllib

    from cstar_cli.cli.config import not_toml

    hint = f"{path} is cstar's project file ([listen] and [dev] tables). Fix it, or move it away."
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or err
        raise ProjectFileError(f"Cannot read {path}: {reason}.", hint) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ProjectFileError(not_toml(path, err, text), hint) from None
    origin = Origin("project", str(path))
    return Layer(origin, check_tables(raw, origin, path.parent))
