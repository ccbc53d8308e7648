"""``cstar identity sign``: the payload and HMAC for customer identity verification (D18)."""

from __future__ import annotations

import time

import typer

from cstar_cli.cli.common import JsonOption, app_of, command_group


def identity_sign(
    ctx: typer.Context,
    email: str = typer.Option(..., "--email", help="The customer's email."),
    external_id: str | None = typer.Option(
        None, "--external-id", help="Your app's user id; switches to the sorted documented form."
    ),
    name: str | None = typer.Option(None, "--name", help="Display name (with --external-id)."),
    timestamp: int | None = typer.Option(
        None, "--timestamp", help="Unix seconds (with --external-id; default now)."
    ),
    json_output: JsonOption = False,
) -> None:
    """Print the compact identity payload and its HMAC-SHA256, keyed with your secret key.

    With --email alone the payload is {"email":…}; with --external-id it is the sorted
    {email, externalId, name?, timestamp}. Send the payload base64url-encoded as
    X-Cstar-Identity and the hash as X-Cstar-Identity-Hash.

    Example: cstar identity sign --email ada@example.com --external-id 42 --name Ada
    """
    import base64

    from cstar_cli.cli.errors import UsageError
    from cstar_cli.client.identity import sign_identity

    app = app_of(ctx, json_output=json_output)
    if external_id is None and (name is not None or timestamp is not None):
        raise UsageError(
            "--name and --timestamp only apply with --external-id.",
            "Add --external-id, or sign just --email.",
        )
    resolved = app.require_key()
    if not resolved.api_key.startswith("sk_"):
        raise UsageError(
            "Identity hashes are keyed with a secret key, and this profile's key is publishable.",
            "Pass --api-key sk_test_… (or log in with a secret key).",
            code="secret_key_required",
        )
    if external_id is not None and timestamp is None:
        timestamp = int(time.time())
    payload, digest = sign_identity(
        resolved.api_key, email=email, external_id=external_id, name=name, timestamp=timestamp
    )
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    if json_output:
        app.printer.json({"payload": payload, "hash": digest, "header": encoded})
        return
    app.printer.detail(
        {
            "Payload": payload,
            "HMAC-SHA256": digest,
            "X-Cstar-Identity": encoded,
            "X-Cstar-Identity-Hash": digest,
        }
    )


def identity() -> None:
    """Sign customer identities (identity verification)."""


def build(name: str) -> typer.Typer:
    return command_group({"sign": identity_sign}, callback=identity)
