"""``cstar login``, ``cstar logout`` and ``cstar status``."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

import typer

from cstar_cli.cli.common import JsonOption, app_of, one_command
from cstar_cli.cli.context import AppContext

LOGIN_FIELDS = (
    "team_id",
    "team_name",
    "team_slug",
    "environment",
    "key_id",
    "key_type",
    "key_hint",
)


def login_run(app: AppContext) -> dict[str, Any]:
    """Check a key against ``whoami`` and store it for the profile; returns what was stored."""
    from cstar_cli.cli.context import check_key_format
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire.keys import redact
    from cstar_cli.wire.links import LOCAL_API_BASE

    source = "--api-key"
    key = app.options.api_key
    if not key and app.env.api_key:
        key, source = app.env.api_key, "CSTAR_API_KEY"
    if not key:
        if not app.stdin_isatty():
            raise UsageError(
                "No API key given, and stdin is not a terminal to ask for one.",
                "Pass --api-key sk_test_… (or set CSTAR_API_KEY); for the local platform also "
                f"--api-base {LOCAL_API_BASE}. `cstar dev` prints test keys.",
                code="api_key_required",
            )
        from cstar_cli.cli.commands.login.flow import ask_api_base, ask_key

        key, source = ask_key(app, ask_api_base(app))
    key = check_key_format(key, source)
    app.config.load()  # a broken config fails before the network call, not after
    with app.make_client(key) as client:
        who = client.whoami()
    location = app.credentials.set(app.profile_name, key)
    values: dict[str, Any] = {
        "team_id": who.get("teamId"),
        "team_name": who.get("teamName"),
        "team_slug": who.get("teamSlug"),
        "environment": who.get("environment"),
        "key_id": who.get("keyId"),
        "key_type": who.get("keyType"),
        "key_hint": redact(key),
    }
    if app.options.api_base:
        values["api_base"] = app.options.api_base.rstrip("/")
    app.config.update(app.profile_name, values)
    base, _ = app.api_base()
    return {
        "profile": app.profile_name,
        "apiBase": base,
        "teamId": who.get("teamId"),
        "teamName": who.get("teamName"),
        "environment": who.get("environment"),
        "keyType": who.get("keyType"),
        "keyId": who.get("keyId"),
        "key": redact(key),
        "storedIn": location,
    }


def login(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Log in: check an API key against the API and store it for the profile.

    The key comes from --api-key, CSTAR_API_KEY, or a terminal: there login offers a running
    `cstar dev` (and its seed test key), else asks for the API base and the key. It is kept
    in the OS keyring (or a 0600 credentials.json where there is none), with the team id and
    environment in the profile.

    Example: cstar login --api-base http://127.0.0.1:8642 --api-key sk_test_…
    """
    app = app_of(ctx, json_output=json_output)
    result = login_run(app)
    if json_output:
        app.printer.json(result)
        return
    app.printer.success(
        f"Logged in to {result['teamName']} ({result['teamId']}) as profile "
        f"{result['profile']!r} with {result['key']} ({result['keyType']}, "
        f"{result['environment']} mode)."
    )
    app.printer.info(f"Key stored in {result['storedIn']}. API base: {result['apiBase']}")


def logout_run(app: AppContext, *, everything: bool) -> list[str]:
    """Forget stored keys; returns the profiles that had one."""
    names = [app.profile_name]
    if everything:
        names = sorted(set(app.config.load()) | set(app.credentials.file_profiles()))
    forgotten = []
    for name in names:
        removed = app.credentials.delete(name)
        if app.config.profile(name) is not None:
            app.config.update(name, {}, remove=LOGIN_FIELDS)
        if removed:
            forgotten.append(name)
    return forgotten


def logout(
    ctx: typer.Context,
    everything: bool = typer.Option(False, "--all", help="Forget the keys of every profile."),
    json_output: JsonOption = False,
) -> None:
    """Log out: forget the profile's stored API key (or every profile's with --all).

    Profile settings such as api_base are kept. The key itself stays valid on the platform;
    revoke it with `cstar keys revoke` if it leaked.

    Example: cstar logout --all
    """
    app = app_of(ctx, json_output=json_output)
    forgotten = logout_run(app, everything=everything)
    if json_output:
        app.printer.json({"loggedOut": forgotten})
    elif forgotten:
        app.printer.success("Logged out of " + ", ".join(repr(n) for n in forgotten) + ".")
    else:
        app.printer.info("No stored key to forget; nothing changed.")


def status_run(app: AppContext) -> tuple[dict[str, Any], Exception | None]:
    """What the CLI would use and whether the API accepts it: ``(info, problem)``.

    The info is complete as far as it got, so a failed check still shows the profile; the
    problem (not logged in, unreachable, refused) is what the command exits with.
    """
    from cstar_cli import __version__
    from cstar_cli.cli.errors import NotLoggedInError, api_message, login_hint
    from cstar_cli.client.errors import CstarAPIError
    from cstar_cli.wire.keys import redact

    profile = app.profile_settings()
    base, base_source = app.api_base()
    info: dict[str, Any] = {
        "profile": app.profile_name,
        "apiBase": base,
        "apiBaseSource": base_source,
        "teamId": profile.get("team_id"),
        "teamName": profile.get("team_name"),
        "environment": profile.get("environment"),
        "keyType": profile.get("key_type"),
        "key": None,
        "keySource": None,
        "cliVersion": __version__,
        "api": {"reachable": None},
        "testClock": None,
    }
    resolved = app.resolve_key()
    if resolved is None:
        message = f"Not logged in (profile {app.profile_name!r}, API base {base})."
        return info, NotLoggedInError(message, login_hint(app.profile_name))
    info["key"] = redact(resolved.api_key)
    info["keySource"] = resolved.source
    started = time.monotonic()
    try:
        with app.make_client(resolved.api_key) as client:
            response = client.request("GET", "/api/v1/auth/whoami")
            latency = round((time.monotonic() - started) * 1000)
            who = response.data
            if who.get("environment") == "test" and who.get("keyType") == "secret":
                with contextlib.suppress(CstarAPIError):  # a clock it won't show stays None
                    info["testClock"] = client.clock.show()
    except CstarAPIError as err:
        reachable = err.type != "connection_error"
        info["api"] = {"reachable": reachable, "error": api_message(err)}
        return info, err
    info.update(
        teamId=who.get("teamId"),
        teamName=who.get("teamName"),
        environment=who.get("environment"),
        keyType=who.get("keyType"),
    )
    info["api"] = {"reachable": True, "latencyMs": latency, "requestId": response.request_id}
    return info, None


def status_rows(info: dict[str, Any]) -> dict[str, str]:
    """The ``cstar status`` lines: what is known, and what the check found."""
    from cstar_cli.cli.commands.clock import describe_offset

    team = f"{info['teamName']} ({info['teamId']})" if info["teamId"] else None
    key = f"{info['key']} ({info['keyType'] or 'unknown type'})" if info["key"] else "none"
    api = info["api"]
    if api["reachable"] is None:
        checked = "not checked (no key)"
    elif not api["reachable"]:
        checked = "UNREACHABLE"
    elif "error" in api:
        checked = f"reachable; refused the key ({api['error']})"
    else:
        checked = f"reachable, {api['latencyMs']} ms"
    rows = {
        "Profile": info["profile"],
        "API base": f"{info['apiBase']} ({info['apiBaseSource']})",
        "Team": team,
        "Environment": info["environment"],
        "Key": key,
        "Key from": info["keySource"],
        "API": checked,
    }
    clock = info.get("testClock")
    if clock and clock.get("offsetSeconds"):
        rows["Test clock"] = describe_offset(float(clock["offsetSeconds"])) + (
            " (`cstar clock reset` sets it back)"
        )
    rows["CLI version"] = info["cliVersion"]
    return {k: v for k, v in rows.items() if v is not None}


def status(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show the profile, API base, team, environment, key (redacted) and check the API.

    Says when the team's test clock is moved. Exits 4 when not logged in or the key is refused,
    5 when the API cannot be reached (after showing what the profile points at).

    Example: cstar status --json
    """
    app = app_of(ctx, json_output=json_output)
    info, problem = status_run(app)
    if not json_output:
        app.printer.detail(status_rows(info))
    elif problem is None:
        app.printer.json(info)
    if problem is not None:
        raise problem


def build(name: str) -> typer.Typer:
    """``cstar {name}``: one of this module's top-level commands."""
    commands: dict[str, Callable[..., None]] = {"login": login, "logout": logout, "status": status}
    return one_command(commands[name])
