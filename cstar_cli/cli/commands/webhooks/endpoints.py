"""``cstar webhooks list|get|create|update|delete|test|rotate-secret|deliveries`` (D12)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

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
    confirm,
    given,
    hinted,
    show_table_pages,
)
from cstar_cli.cli.render import ATTEMPT_TIME_COLUMNS, show_done
from cstar_cli.cli.suggest import complete_event_types

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.client.errors import CstarAPIError

# -- endpoints (D12) -----------------------------------------------------------------------------

WEBHOOK_COLUMNS = columns("id", "name", "url", "events", ("ACTIVE", "isActive"), "createdAt")
DELIVERY_COLUMNS = columns(
    "id",
    ("EVENT", "eventType"),
    "eventId",
    "attempt",
    "status",
    ("HTTP", "responseStatus"),
    ("MS", "durationMs"),
    *ATTEMPT_TIME_COLUMNS,
    "error",
)
WEBHOOK_FIELDS = (
    "id",
    "name",
    "description",
    "url",
    "events",
    "isActive",
    "legacySignature",
    "createdAt",
    "updatedAt",
)
WebhookIdArgument = Annotated[
    str, typer.Argument(metavar="WEBHOOK_ID", help="The webhook id (whk_…).")
]
SECRET_ENV = "CSTAR_WEBHOOK_SECRET"  # noqa: S105 - a variable name, not a secret


def events_option(default: Any, help: str) -> Any:
    """``--events``/``-e`` of an endpoint, completed from the event catalogue."""
    return typer.Option(default, "--events", "-e", help=help, autocompletion=complete_event_types)


def _api(app: AppContext) -> Any:

    return app.client().webhooks


def _not_found_hint(err: CstarAPIError) -> str | None:
    if err.status == 404:
        return "Check the id; `cstar webhooks list` shows your endpoints."
    return None


def check_events(values: list[str]) -> list[str]:
    """``--events`` values (repeatable, comma lists) checked against the catalogue (exit 2)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire import catalog

    try:
        return catalog.validate_patterns(values)
    except ValueError as err:
        raise UsageError(str(err), code="unknown_event_type") from None


def check_url(url: str) -> str:
    from urllib.parse import urlsplit

    from cstar_cli.cli.errors import UsageError

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--url {url!r} is not an http(s) URL.",
            "Pass the full URL your endpoint listens on, e.g. https://example.com/hooks.",
            code="invalid_url",
        )
    return url.strip()


def _show(app: AppContext, hook: dict[str, Any]) -> None:
    app.printer.detail(hook, fields=[f for f in WEBHOOK_FIELDS if f in hook])


def _show_secret(app: AppContext, hook: dict[str, Any], verb: str, json_output: bool) -> None:
    """The one time a signing secret is printed in full."""
    if json_output:
        app.printer.json(hook, reveal=True)
        return
    app.printer.success(f"{verb} webhook {hook.get('id')} → {hook.get('url')}.")
    _show(app, hook)
    app.printer.text(f"\nSigning secret: {hook.get('secret')}", reveal=True)
    app.printer.warn(
        "This is the only time the signing secret is shown. Store it now, e.g. in your "
        f"receiver's environment as {SECRET_ENV}; it verifies the X-Signature header."
    )


def webhooks_list(
    ctx: typer.Context,
    active: bool | None = typer.Option(
        None, "--active/--inactive", help="Only active (or only paused) endpoints."
    ),
    page: PageOption = 1,
    page_size: PageSizeOption = 20,
    all_pages: AllPagesOption = False,
    json_output: JsonOption = False,
) -> None:
    """List webhook endpoints (secrets are never listed).

    Example: cstar webhooks list --active --json
    """
    app = app_of(ctx, json_output=json_output)
    params: dict[str, Any] = {} if active is None else {"active": active}
    paging = Paging(page=page, size=page_size, every=all_pages)
    show_table_pages(
        app, _api(app), params, paging, WEBHOOK_COLUMNS, json_output=json_output, noun="webhooks"
    )


def webhooks_get(
    ctx: typer.Context,
    webhook_id: WebhookIdArgument,
    json_output: JsonOption = False,
) -> None:
    """Show one webhook endpoint.

    Example: cstar webhooks get whk_…
    """
    app = app_of(ctx, json_output=json_output)
    with hinted(_not_found_hint):
        hook = _api(app).get(webhook_id)
    if json_output:
        app.printer.json(hook)
    else:
        _show(app, hook)


def webhooks_create(
    ctx: typer.Context,
    url: str = typer.Option(..., "--url", help="Where to POST events (http or https)."),
    events: list[str] = events_option(
        ..., "Event types: names, resource.* or * (comma-separated or repeated)."
    ),
    name: str | None = typer.Option(None, "--name", help="A label for the endpoint."),
    description: str | None = typer.Option(None, "--description", help="What it is for."),
    inactive: bool = typer.Option(False, "--inactive", help="Create it paused."),
    no_legacy_signature: bool = typer.Option(
        False,
        "--no-legacy-signature",
        help="Do not send the legacy X-Cstar-Signature header (X-Signature is always sent).",
    ),
    json_output: bool = typer.Option(
        False, "--json", help=JSON_HELP + " Includes the signing secret."
    ),
) -> None:
    """Create a webhook endpoint and print its signing secret once.

    Example: cstar webhooks create --url https://example.com/hooks -e ticket.created,customer.*
    """
    app = app_of(ctx, json_output=json_output)
    body: dict[str, Any] = {
        "url": check_url(url),
        "events": check_events(events),
        **given({"name": name, "description": description}),
    }
    if inactive:
        body["isActive"] = False
    if no_legacy_signature:
        body["legacySignature"] = False
    hook = _api(app).create(body)
    _show_secret(app, hook, "Created", json_output)


def webhooks_update(
    ctx: typer.Context,
    webhook_id: WebhookIdArgument,
    url: str | None = typer.Option(None, "--url", help="New URL."),
    events: list[str] | None = events_option(None, "New event list (replaces the old one)."),
    name: str | None = typer.Option(None, "--name", help="New label."),
    description: str | None = typer.Option(None, "--description", help="New description."),
    active: bool | None = typer.Option(None, "--active/--inactive", help="Resume or pause it."),
    legacy_signature: bool | None = typer.Option(
        None,
        "--legacy-signature/--no-legacy-signature",
        help="Send (or stop sending) the legacy X-Cstar-Signature header.",
    ),
    json_output: JsonOption = False,
) -> None:
    """Change a webhook endpoint: URL, events, name, description, active, legacy signature.

    Example: cstar webhooks update whk_… --events 'ticket.*' --inactive
    """
    from cstar_cli.cli.errors import UsageError

    app = app_of(ctx, json_output=json_output)
    body: dict[str, Any] = {}
    if url is not None:
        body["url"] = check_url(url)
    if events:
        body["events"] = check_events(events)
    body |= given(
        {
            "name": name,
            "description": description,
            "isActive": active,
            "legacySignature": legacy_signature,
        }
    )
    if not body:
        raise UsageError(
            "Nothing to update.",
            "Pass at least one of --url, --events, --name, --description, --active/--inactive, "
            "--legacy-signature/--no-legacy-signature.",
        )
    with hinted(_not_found_hint):
        hook = _api(app).update(webhook_id, body)
    show_done(
        app,
        hook,
        f"Updated webhook {hook.get('id')}.",
        json_output=json_output,
        then=lambda: _show(app, hook),
    )


def webhooks_delete(
    ctx: typer.Context,
    webhook_id: WebhookIdArgument,
    yes: YesOption = False,
    json_output: JsonOption = False,
) -> None:
    """Delete a webhook endpoint; pending retries to it are cancelled (asks first).

    Example: cstar webhooks delete whk_… --yes
    """
    app = app_of(ctx, json_output=json_output)
    confirm(app, f"Delete webhook {webhook_id}? Pending retries to it are cancelled.", yes=yes)
    with hinted(_not_found_hint):
        result = _api(app).delete(webhook_id)
    show_done(app, result, f"Deleted webhook {webhook_id}.", json_output=json_output)


def webhooks_test(
    ctx: typer.Context,
    webhook_id: WebhookIdArgument,
    event: str = typer.Option(
        "ticket.created",
        "--event",
        help="Event type of the sample to send.",
        autocompletion=complete_event_types,
    ),
    json_output: JsonOption = False,
) -> None:
    """Send one sample event to an endpoint now; exit 1 unless it answers 2xx.

    Example: cstar webhooks test whk_… --event ticket.closed
    """
    from cstar_cli.cli.commands.trigger import unknown_event
    from cstar_cli.cli.errors import CstarError
    from cstar_cli.wire import catalog

    app = app_of(ctx, json_output=json_output)
    name = event.strip()
    if not catalog.is_known(name):
        raise unknown_event(name)
    with hinted(_not_found_hint):
        result = _api(app).test(webhook_id, name)
    status, ms = result.get("status"), result.get("responseTimeMs")
    if not result.get("success"):
        answer = f"answered HTTP {status} in {ms} ms" if status else "could not be reached"
        detail = f": {result.get('error')}" if result.get("error") else ""
        raise CstarError(
            f"Test {name} to {result.get('url')} failed: the endpoint {answer}{detail} "
            f"(delivery {result.get('deliveryId')}).",
            "The endpoint must answer 2xx within 10 s. Check its logs; "
            f"`cstar webhooks deliveries {webhook_id}` lists every attempt.",
            code="webhook_test_failed",
        )
    if json_output:
        app.printer.json(result)
        return
    app.printer.success(
        f"Sent {name} to {result.get('url')}: HTTP {status} in {ms} ms "
        f"(delivery {result.get('deliveryId')})."
    )


def webhooks_rotate_secret(
    ctx: typer.Context,
    webhook_id: WebhookIdArgument,
    yes: YesOption = False,
    json_output: bool = typer.Option(
        False, "--json", help=JSON_HELP + " Includes the new signing secret."
    ),
) -> None:
    """Replace an endpoint's signing secret and print the new one once (asks first).

    The old secret stops verifying at once: update your receiver right away.

    Example: cstar webhooks rotate-secret whk_… --yes
    """
    app = app_of(ctx, json_output=json_output)
    confirm(
        app,
        f"Rotate the signing secret of {webhook_id}? The old secret stops verifying at once.",
        yes=yes,
    )
    with hinted(_not_found_hint):
        hook = _api(app).rotate_secret(webhook_id)
    _show_secret(app, hook, "Rotated the signing secret of", json_output)


def webhooks_deliveries(
    ctx: typer.Context,
    webhook_id: WebhookIdArgument,
    status: Literal["pending", "succeeded", "failed", "cancelled"] | None = typer.Option(
        None, "--status", help="Only attempts with this status."
    ),
    page: PageOption = 1,
    page_size: PageSizeOption = 20,
    json_output: JsonOption = False,
) -> None:
    """List delivery attempts to an endpoint, newest first: status, when each started and
    finished, and when a pending retry is due.

    Example: cstar webhooks deliveries whk_… --status failed
    """
    from cstar_cli.cli.render import attempt_rows, fault_columns, page_footer

    app = app_of(ctx, json_output=json_output)
    params: dict[str, Any] = {"page": page, "pageSize": page_size}
    if status:
        params["status"] = status
    with hinted(_not_found_hint):
        result = _api(app).deliveries(webhook_id, params)
    if json_output:
        app.printer.json(result.data)
        return
    rows = attempt_rows(result.data, app.seams.clock())
    columns = fault_columns(DELIVERY_COLUMNS, rows)
    app.printer.table(rows, columns, empty="No delivery attempts.")
    page_footer(app, result)
