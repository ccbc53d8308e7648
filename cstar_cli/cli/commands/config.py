"""``cstar config list|get|set|unset``: read and write profile settings."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.common import JsonOption, app_of, command_group
from cstar_cli.cli.context import AppContext


def _check_setting(key: str, *, writable: bool) -> None:
    from cstar_cli.cli.config import KNOWN_SETTINGS, LOGIN_SETTINGS, USER_SETTINGS
    from cstar_cli.cli.errors import UsageError

    if key not in KNOWN_SETTINGS:
        raise UsageError(
            f"Unknown setting {key!r}.",
            "Settings: " + ", ".join(sorted(KNOWN_SETTINGS)) + ".",
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


def config_list(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List every profile and its settings (keys are never stored here).

    Example: cstar config list --json
    """
    app = app_of(ctx, json_output=json_output)
    profiles = app.config.load()
    if json_output:
        app.printer.json(profiles)
        return
    rows: list[dict[str, Any]] = []
    for name, table in sorted(profiles.items()):
        for key, value in sorted(table.items()):
            marker = "*" if name == app.profile_name else ""
            rows.append({"profile": name + marker, "key": key, "value": value})
    app.printer.table(
        rows,
        [("PROFILE", "profile"), ("SETTING", "key"), ("VALUE", "value")],
        empty=f"No profiles yet in {app.config.path}. Run `cstar login` to create one.",
    )


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
    value = app.profile_settings().get(key)
    if value is None:
        raise CstarError(
            f"{key!r} is not set in profile {app.profile_name!r}.",
            f"Set it with `cstar config set {key} VALUE`.",
            code="setting_missing",
        )
    if json_output:
        app.printer.json({key: value})
    else:
        app.printer.text(str(value))


def config_set(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Setting name: api_base or color."),
    value: str = typer.Argument(..., help="New value."),
) -> None:
    """Set a profile setting (creates the profile if needed).

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
    app.profile_settings(must_exist=True)
    app.config.update(app.profile_name, {key: None})
    app.printer.success(f"Unset {key} in profile {app.profile_name!r}.")


def build(name: str) -> typer.Typer:
    return command_group(
        {"list": config_list, "get": config_get, "set": config_set, "unset": config_unset},
        help="Read and write profile settings in $CSTAR_HOME/config.toml.",
    )
