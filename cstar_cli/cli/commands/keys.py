"""``cstar keys create|list|get|revoke|roll``: API keys (D9). A full key is printed only once."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.common import (
    JSON_HELP,
    AllPagesOption,
    JsonOption,
    PageOption,
    PageSizeOption,
    Paging,
    YesOption,
    app_of,
    command_group,
    confirm,
    show_table_pages,
)
from cstar_cli.cli.context import AppContext
from cstar_cli.cli.render import render_item, show_done

KeyIdArgument = Annotated[str, typer.Argument(metavar="KEY_ID", help="The key id (key_…).")]
SecretJsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP + " Includes the secret.")]

KEY_COLUMNS = columns(
    "id",
    "name",
    "type",
    ("ENV", "environment"),
    ("KEY", "redacted"),
    "status",
    "createdAt",
    "lastUsedAt",
)


def parse_duration(text: str) -> int:
    """``90``, ``90s``, ``15m``, ``2h``, ``7d`` → seconds (the wire's one grammar)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire import times

    try:
        return times.parse_duration(text)
    except ValueError as err:
        raise UsageError(f"Invalid duration {text!r}.", str(err).split("; ", 1)[-1]) from None


def _with_status(key: dict[str, Any], now: float | None = None) -> dict[str, Any]:
    """The key with its ``status``: ``active``, ``revoked`` or when it expires — in words
    against ``now`` (``expires in 1 h``) as the other tables say it, or the timestamp (JSON)."""
    from cstar_cli.wire.times import parse_iso, relative

    expires = key.get("expiresAt")
    if key.get("revokedAt"):
        state = "revoked"
    elif isinstance(expires, str) and now is not None:
        moment = parse_iso(expires)
        state = f"expires {relative(moment, now)}" if moment > now else "expired"
    elif expires:
        state = f"expires {expires}"
    else:
        state = "active"
    return {**key, "status": state}


def _show_new_key(app: AppContext, key: dict[str, Any], verb: str, json_output: bool) -> None:
    if json_output:
        app.printer.json(key, reveal=True)
        return
    app.printer.success(
        f"{verb} {key.get('type')} key {key.get('id')} ({key.get('environment')} mode) "
        f"named {key.get('name')!r}."
    )
    app.printer.text(str(key.get("secret")), reveal=True)
    app.printer.warn("This is the only time the full key is shown. Store it somewhere safe now.")


def keys_create(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", "-n", help="A label to recognise the key by."),
    key_type: Literal["secret", "publishable"] = typer.Option(
        "secret", "--type", help="secret (full access) or publishable (read-only)."
    ),
    environment: Literal["test", "live"] | None = typer.Option(
        None, "--environment", "--env", help="test or live (default: the logged-in key's)."
    ),
    json_output: SecretJsonOption = False,
) -> None:
    """Create an API key and print it once.

    Example: cstar keys create --name 'CI' --type publishable --environment test
    """
    app = app_of(ctx, json_output=json_output)
    body: dict[str, Any] = {"name": name, "type": key_type}
    if environment:
        body["environment"] = environment
    key = app.client().keys.create(body)
    _show_new_key(app, key, "Created", json_output)


def keys_list(
    ctx: typer.Context,
    page: PageOption = 1,
    page_size: PageSizeOption = 20,
    all_pages: AllPagesOption = False,
    sort: str | None = typer.Option(None, "--sort", help="createdAt or name; '-' for descending."),
    json_output: JsonOption = False,
) -> None:
    """List API keys (redacted), revoked ones included.

    Example: cstar keys list --all --json
    """
    app = app_of(ctx, json_output=json_output)
    params: dict[str, Any] = {"sort": sort} if sort else {}
    show_table_pages(
        app,
        app.client().keys,
        params,
        Paging(page=page, size=page_size, every=all_pages),
        KEY_COLUMNS,
        json_output=json_output,
        noun="keys",
        rows=lambda items: [
            _with_status(k, None if json_output else app.seams.clock()) for k in items
        ],
    )


def keys_get(
    ctx: typer.Context,
    key_id: KeyIdArgument,
    json_output: JsonOption = False,
) -> None:
    """Show one API key (redacted).

    Example: cstar keys get key_…
    """
    app = app_of(ctx, json_output=json_output)
    key = _with_status(app.client().keys.get(key_id), None if json_output else app.seams.clock())
    render_item(app, key, json_output=json_output)


def _is_own_key(app: AppContext, key_id: str) -> bool:
    resolved = app.resolve_key()
    if resolved is None or not resolved.from_store:
        return False
    return app.profile_settings().get("key_id") == key_id


def keys_revoke(
    ctx: typer.Context,
    key_id: KeyIdArgument,
    yes: YesOption = False,
    json_output: JsonOption = False,
) -> None:
    """Revoke an API key: it stops working at once.

    Example: cstar keys revoke key_… --yes
    """
    app = app_of(ctx, json_output=json_output)
    own = _is_own_key(app, key_id)
    question = f"Revoke key {key_id}? Anything using it stops working at once."
    if own:
        question = f"Revoke key {key_id}, the key this profile is logged in with?"
    confirm(app, question, yes=yes)
    result = app.client().keys.revoke(key_id)
    warning = "That was this profile's key; run `cstar login` with another key."
    show_done(
        app,
        result,
        f"Revoked key {key_id}.",
        json_output=json_output,
        then=(lambda: app.printer.warn(warning)) if own else None,
    )


def keys_roll(
    ctx: typer.Context,
    key_id: KeyIdArgument,
    yes: YesOption = False,
    expires_in: str | None = typer.Option(
        None,
        "--expires-in",
        help="Grace period for the old key, e.g. 1h or 7d (default: it stops at once).",
    ),
    json_output: SecretJsonOption = False,
) -> None:
    """Replace an API key with a new one, printed once.

    If the rolled key is the one this profile is logged in with, the stored key is updated.

    Example: cstar keys roll key_… --expires-in 1h --yes
    """
    app = app_of(ctx, json_output=json_output)
    seconds = parse_duration(expires_in) if expires_in else 0
    when = f"in {expires_in}" if seconds else "at once"
    confirm(app, f"Roll key {key_id}? The old key stops working {when}.", yes=yes)
    own = _is_own_key(app, key_id)
    key = app.client().keys.roll(key_id, expires_in=seconds)
    _show_new_key(app, key, "Rolled to", json_output)
    if own and key.get("secret"):
        from cstar_cli.wire.keys import redact

        location = app.credentials.set(app.profile_name, str(key["secret"]))
        app.config.update(
            app.profile_name, {"key_id": key.get("id"), "key_hint": redact(str(key["secret"]))}
        )
        app.printer.info(f"Profile {app.profile_name!r} now uses the new key ({location}).")


def build(name: str) -> typer.Typer:
    return command_group(
        {
            "create": keys_create,
            "list": keys_list,
            "get": keys_get,
            "revoke": keys_revoke,
            "roll": keys_roll,
        },
        help="Manage API keys: create, list, get, revoke, roll.",
    )
