"""``cstar get|post|patch|delete PATH``: raw API calls with the profile's credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from cstar_cli.cli.common import DATA_HELP, app_of, hinted, one_command, parse_data


def resolve_path(app: Any, path: str) -> str:
    """``/tickets`` → ``/api/v1/teams/{teamId}/tickets``; ``/api/…`` is used as given."""
    from cstar_cli.cli.errors import UsageError

    if path.startswith(("http://", "https://")):
        raise UsageError(
            "PATH is a path, not a URL.",
            "Use e.g. /tickets (relative to your team) or /api/v1/auth/whoami; "
            "set the host with --api-base.",
        )
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith("/api/"):
        return path
    return str(app.client().team_path()) + path


def path_hint(err: Any, method: str, path: str, full: str) -> str | None:
    """A path the API does not know: say how PATH was read, and the path outside the team
    it may have meant (``/auth/whoami`` → ``/api/v1/auth/whoami``)."""
    if err.status != 404 or not err.message.startswith("Unrecognized request URL"):
        return None
    if full == path:
        return "Check the path; the API reference lists every one."
    typed = path if path.startswith("/") else "/" + path
    return (
        "PATH is relative to your team unless it starts with /api/; did you mean "
        f"`cstar {method.lower()} /api/v1{typed}`?"
    )


def raw_run(
    app: Any, method: str, path: str, data: list[str] | None, idempotency_key: str | None
) -> dict[str, Any]:
    body = parse_data(data)
    client = app.client()
    full = resolve_path(app, path)
    with hinted(lambda err: path_hint(err, method, path, full)):
        if method in ("GET", "DELETE"):
            response = client.request(method, full, params=body, idempotency_key=idempotency_key)
        else:
            response = client.request(method, full, json=body, idempotency_key=idempotency_key)
    out: dict[str, Any] = {"data": response.data, "meta": response.meta}
    if response.pagination is not None:
        out["pagination"] = response.pagination.as_json()
    return out


def _make(method: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        path: str = typer.Argument(..., help="API path, e.g. /tickets or /api/v1/auth/whoami."),
        data: list[str] | None = typer.Option(
            None, "--data", "-d", help=DATA_HELP + " Query parameters for GET and DELETE."
        ),
        idempotency_key: str | None = typer.Option(
            None, "--idempotency-key", help="Idempotency-Key for a write (default: a fresh one)."
        ),
        json_output: bool = typer.Option(
            False, "--json", help="Print the whole envelope (data, meta, pagination)."
        ),
    ) -> None:
        app = app_of(ctx, json_output=json_output)
        result = raw_run(app, method, path, data, idempotency_key)
        app.printer.json(result if json_output else result["data"])

    command.__doc__ = (
        f"Send a raw {method} to the API.\n\n"
        "Prints the JSON answer's data (with --json, the whole envelope).\n\n"
        "PATH is relative to your team (/tickets); a path starting with /api/ is used as "
        "given.\n\n"
        + {
            "GET": "Example: cstar get /tickets -d status=open -d pageSize=5",
            "POST": "Example: cstar post /tickets -d title='Printer on fire' -d tags[]=hw",
            "PATCH": "Example: cstar patch /tickets/tkt_… -d status=resolved",
            "DELETE": "Example: cstar delete /customers/cus_…",
        }[method]
    )
    command.__name__ = f"raw_{method.lower()}"
    return command


raw_get = _make("GET")
raw_post = _make("POST")
raw_patch = _make("PATCH")
raw_delete = _make("DELETE")


def build(name: str) -> typer.Typer:
    """``cstar {name}``: one of this module's top-level commands."""
    return one_command(
        {"get": raw_get, "post": raw_post, "patch": raw_patch, "delete": raw_delete}[name]
    )
