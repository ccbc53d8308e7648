"""``cstar config list|get|set|unset``: read and write profile settings; ``list
--show-origin`` shows the settings in effect and where each came from (D40)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.common import JsonOption, app_of, command_group
from cstar_cli.cli.context import AppContext

if TYPE_CHECKING:
    from cstar_cli.cli.settings import Origin, OriginKind


def _check_setting(key: str, *, writable: bool) -> None:
    from cstar_cli.cli.config import KNOWN_SETTINGS, LOGIN_SETTINGS, USER_SETTINGS
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.cli.settings import KEYS

    if key not in KNOWN_SETTINGS and key not in KEYS:
        raise UsageError(
            f"Unknown setting {key!r}.",
            "Settings: " + ", ".join([*sorted(KNOWN_SETTINGS), *KEYS]) + ".",
            code="unknown_setting",
        )
    if writable and key in LOGIN_SETTINGS:
        raise UsageError(
            f"{key!r} is set by `cstar login`.",
            "Run `cstar login` again to change it. You can set: "
            + ", ".join(sorted(USER_SETTINGS))
            + ".",
            code="read_only_setting",
        )


def set_run(app: AppContext, key: str, value: str) -> None:
    from cstar_cli.cli.config import COLOR_CHOICES
    from cstar_cli.cli.errors import UsageError

    _check_setting(key, writable=True)
    if "." in key:
        _set_layered(app, key, value)
        return
    if key == "color" and value not in COLOR_CHOICES:
        raise UsageError(f"color must be auto, always or never, not {value!r}.")
    if key == "api_base":
        if not value.startswith(("http://", "https://")):
            raise UsageError(
                f"api_base must start with http:// or https://, not {value!r}.",
                "Example: cstar config set api_base http://127.0.0.1:8642",
            )
        value = value.rstrip("/")
    app.config.update(app.profile_name, {key: value})


def _set_layered(app: AppContext, key: str, value: str) -> None:
    """``cstar config set listen.forward-to '3000 boss.*=4000'``: into the profile's
    ``[listen]`` table, read as its environment variable is (paths made absolute)."""
    from pathlib import Path

    from cstar_cli.cli.settings import KEYS, Origin, read_text

    setting = KEYS[key]
    parsed = read_text(setting, value, Origin("flag", key))
    if setting.kind.is_path and parsed not in (":memory:", "-"):
        parsed = str(Path(parsed).expanduser().resolve())
    table = _section(app.profile_settings(), setting.section)
    app.config.update(app.profile_name, {setting.section: {**table, setting.name: parsed}})


def _section(table: dict[str, Any], name: str) -> dict[str, Any]:
    """The profile's ``[<profile>.listen]`` or ``[<profile>.dev]`` table (``{}`` if none)."""
    inner = table.get(name)
    return dict(inner) if isinstance(inner, dict) else {}


def _profile_value(table: dict[str, Any], key: str) -> Any:
    section, dot, name = key.partition(".")
    return _section(table, section).get(name) if dot else table.get(key)


def _shown(key: str, value: Any) -> Any:
    from cstar_cli.cli.settings import KEYS

    return KEYS[key].kind.show(value) if key in KEYS else value


def config_list(
    ctx: typer.Context,
    show_origin: bool = typer.Option(
        False,
        "--show-origin",
        help="Show the settings in effect here, each with where it came from: a flag, a "
        "CSTAR_ variable, cstar.toml, the profile or the default.",
    ),
    json_output: JsonOption = False,
) -> None:
    """List every profile and its settings (keys are never stored here).

    With --show-origin: the settings in effect for this profile in this folder, the project
    file's (cstar.toml) included, and where each came from.

    Example: cstar config list --show-origin
    """
    app = app_of(ctx, json_output=json_output)
    if show_origin:
        list_origins(app, json_output=json_output)
        return
    profiles = app.config.load()
    if json_output:
        app.printer.json(profiles)
        return
    rows: list[dict[str, Any]] = []
    for name, table in sorted(profiles.items()):
        marker = "*" if name == app.profile_name else ""
        for key, value in sorted(table.items()):
            inner = value.items() if isinstance(value, dict) else [("", value)]
            for sub, item in inner:
                dotted = f"{key}.{sub}" if sub else key
                rows.append(
                    {"profile": name + marker, "key": dotted, "value": _shown(dotted, item)}
                )
    app.printer.table(
        rows,
        [("PROFILE", "profile"), ("SETTING", "key"), ("VALUE", "value")],
        empty=f"No profiles yet in {app.config.path}. Run `cstar login` to create one.",
    )


def list_origins(app: AppContext, *, json_output: bool) -> None:
    rows = [
        {"setting": name, "value": value, "origin": origin.kind, "where": str(origin)}
        for name, value, origin in effective(app)
    ]
    if json_output:
        app.printer.json(rows)
        return
    for row in rows:
        row["value"] = _shown(row["setting"], row["value"])
    app.printer.table(rows, [("SETTING", "setting"), ("VALUE", "value"), ("ORIGIN", "where")])


def _first(name: str, *layers: tuple[Any, Origin]) -> tuple[str, Any, Origin]:
    """``(name, value, origin)`` of the first layer that gives a value."""
    value, origin = next((value, origin) for value, origin in layers if value)
    return name, value, origin


def effective(app: AppContext) -> list[tuple[str, Any, Origin]]:
    """Each setting in effect for this run, with its origin: the profile's own (the profile,
    api_base, color, what `cstar login` stored), then the project file's (D40)."""
    from cstar_cli.cli.config import DEFAULT_PROFILE, data_dir
    from cstar_cli.cli.settings import KEYS, Origin

    table = app.config.profile(app.profile_name) or {}
    profile = Origin("profile", app.profile_name, str(app.config.path))
    options, default = app.options, Origin("default")
    base, source = app.api_base()
    named: dict[str, OriginKind] = {"--api-base": "flag", "CSTAR_API_BASE": "env"}
    named["default"] = "default"
    kind = named.get(source)
    rows = [
        _first(
            "profile",
            (options.profile, Origin("flag", "--profile")),
            (app.env.profile, Origin("env", "CSTAR_PROFILE")),
            (DEFAULT_PROFILE, default),
        ),
        ("api_base", base, profile if kind is None else Origin(kind, source)),
        _first(
            "color",
            (options.color, Origin("flag", "--color")),
            (table.get("color"), profile),
            ("auto", default),
        ),
    ]
    for key, value in sorted(table.items()):
        if key not in ("api_base", "color") and not isinstance(value, dict):
            rows.append((key, value, profile))
    for name in KEYS:
        setting = app.setting(name)
        value = setting.value
        if name == "dev.db" and value is None:
            value = str(data_dir() / "dev.db")
        rows.append((name, value, setting.origin))
    return rows


def config_get(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Setting name, e.g. api_base."),
    json_output: JsonOption = False,
) -> None:
    """Print one setting of the profile (exit 1 when it is not set).

    Example: cstar config get api_base --profile staging
    """
    from cstar_cli.cli.errors import CstarError

    app = app_of(ctx, json_output=json_output)
    _check_setting(key, writable=False)
    value = _profile_value(app.profile_settings(), key)
    if value is None:
        raise CstarError(
            f"{key!r} is not set in profile {app.profile_name!r}.",
            f"Set it with `cstar config set {key} VALUE`.",
            code="setting_missing",
        )
    if json_output:
        app.printer.json({key: value})
    else:
        app.printer.text(str(_shown(key, value)))


def config_set(
    ctx: typer.Context,
    key: str = typer.Argument(
        ..., help="Setting name: api_base, color, or a project setting such as dev.port."
    ),
    value: str = typer.Argument(..., help="New value."),
) -> None:
    """Set a profile setting (creates the profile if needed).

    The project file's settings (listen.forward-to, listen.events, listen.headers, dev.port,
    dev.db, dev.seed, dev.cors-origin, dev.retry-scale) may be set for a profile too; a
    cstar.toml, a CSTAR_ variable or a flag wins over them. Lists are written as their
    CSTAR_ variable takes them: forward-to separated by spaces, events by commas.

    Example: cstar config set api_base http://127.0.0.1:8642
    """
    app = app_of(ctx)
    set_run(app, key, value)
    app.printer.success(f"Set {key} = {value} in profile {app.profile_name!r}.")


def config_unset(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Setting name."),
) -> None:
    """Remove a profile setting, so its default (or env var) applies again.

    Example: cstar config unset api_base
    """
    app = app_of(ctx)
    _check_setting(key, writable=True)
    table = app.profile_settings(must_exist=True)
    section, dot, name = key.partition(".")
    if dot:
        rest = {k: v for k, v in _section(table, section).items() if k != name}
        app.config.update(app.profile_name, {section: rest or None})
    else:
        app.config.update(app.profile_name, {key: None})
    app.printer.success(f"Unset {key} in profile {app.profile_name!r}.")


def build(name: str) -> typer.Typer:
    return command_group(
        {"list": config_list, "get": config_get, "set": config_set, "unset": config_unset},
        help="Read and write profile settings in $CSTAR_HOME/config.toml.",
    )
