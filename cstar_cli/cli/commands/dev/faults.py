"""``cstar dev faults add|list|remove|clear``: faults on purpose (D38) on a local platform — API
requests that fail or lag, webhook deliveries that come twice, shuffled, late or mis-signed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.commands.dev.reset import require_local
from cstar_cli.cli.common import JsonOption, app_of
from cstar_cli.cli.render import show_done

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.client.testhelpers import FaultsResource

ADD_FORMS = (
    "cstar dev faults add --api 'POST /tickets' --status 503 [--retry-after S] [--delay 2s] "
    "[--count N | --until-removed]\n"
    "  cstar dev faults add --deliveries [--event-type T ...] [--webhook whk_…] "
    "--duplicate | --reorder N | --delay 2s | --sign-with wrong-secret|old-secret [--count N]"
)
DELAY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$", re.IGNORECASE)
FAULT_COLUMNS = columns("id", "on", "matches", "does", "left", "hits")
PURPOSE = "Faults are injected into the test environment"

ApiOption = Annotated[
    str | None,
    typer.Option(
        "--api", metavar="'METHOD /path'", help="Fail or delay API requests: 'POST /tickets'."
    ),
]
DeliveriesOption = Annotated[
    bool, typer.Option("--deliveries", help="Shape webhook deliveries instead.")
]
StatusOption = Annotated[
    int | None, typer.Option("--status", help="Answer with 429, 500, 502, 503 or 504.")
]
RetryAfterOption = Annotated[
    int | None, typer.Option("--retry-after", metavar="S", help="Retry-After of a 429, seconds.")
]
DelayOption = Annotated[
    str | None, typer.Option("--delay", metavar="2s|500ms", help="Hold it back this long.")
]
CountOption = Annotated[
    int | None, typer.Option("--count", min=1, help="Matches it takes (default 1).")
]
UntilRemovedOption = Annotated[
    bool, typer.Option("--until-removed", help="Keep matching until removed or cleared.")
]
EventTypeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--event-type",
        "--events",
        metavar="T",
        help="Only these event types or patterns (repeatable): ticket.created, 'ticket.*'.",
    ),
]
WebhookOption = Annotated[
    str | None, typer.Option("--webhook", metavar="whk_…", help="Only deliveries to this one.")
]
DuplicateOption = Annotated[
    bool, typer.Option("--duplicate", help="Deliver each matching event twice.")
]
ReorderOption = Annotated[
    int | None,
    typer.Option("--reorder", metavar="N", help="Shuffle each window of N deliveries."),
]
SignWithOption = Annotated[
    str | None,
    typer.Option(
        "--sign-with",
        metavar="wrong-secret|old-secret",
        help="Sign with a wrong secret, or the one before the last rotate-secret.",
    ),
]


def _usage(message: str) -> Exception:
    from cstar_cli.cli.errors import UsageError

    return UsageError(message, f"The forms:\n  {ADD_FORMS}")


def parse_delay(text: str) -> int:
    """``2s``, ``1.5s``, ``500ms`` or ``2`` (seconds) as milliseconds."""
    match = DELAY.match(text)
    if match is None:
        raise _usage(f"--delay {text!r} is not a delay: write 2s, 1.5s or 500ms.")
    value = float(match.group(1))
    return round(value if (match.group(2) or "s").lower() == "ms" else value * 1000)


def _faults(app: AppContext, command: str) -> FaultsResource:
    require_local(app, f"cstar dev faults {command}", PURPOSE)
    return app.client().test_helpers.faults


def faults_add(
    ctx: typer.Context,
    api: ApiOption = None,
    deliveries: DeliveriesOption = False,
    status: StatusOption = None,
    retry_after: RetryAfterOption = None,
    delay: DelayOption = None,
    count: CountOption = None,
    until_removed: UntilRemovedOption = False,
    event_type: EventTypeOption = None,
    webhook: WebhookOption = None,
    duplicate: DuplicateOption = False,
    reorder: ReorderOption = None,
    sign_with: SignWithOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a fault: fail or delay API requests, or make webhook deliveries misbehave.

    API faults answer matching requests with an error in the documented shape (a 429 with
    Retry-After, or a 5xx) or hold them back, and write nothing; your client's retries count.
    Delivery faults deliver matching events twice, shuffled, late, or signed with a wrong or the
    previous secret. Each faulted request or delivery is marked (fault: flt_…) in `cstar logs`,
    `cstar events get` and the inspector. `cstar dev reset` clears faults too.

    Example: cstar dev faults add --api 'POST /tickets' --status 503 --count 2
    """
    from cstar_cli.wire.faults import FAULT_STATUSES, SIGN_WITH, parse_api_match

    app = app_of(ctx, json_output=json_output)
    if (api is None) == (not deliveries):
        raise _usage("Say what to fault: --api 'METHOD /path' or --deliveries (one of them).")
    if count is not None and until_removed:
        raise _usage("--count and --until-removed do not go together.")
    delay_ms = None if delay is None else parse_delay(delay)
    counted: dict[str, Any] = {"count": count, "until_removed": until_removed}
    if api is not None:
        given = [f for f, v in _delivery_flags(event_type, webhook, duplicate, reorder, sign_with)]
        if given:
            raise _usage(f"{', '.join(given)} is for --deliveries faults, not --api ones.")
        if status is None and delay_ms is None:
            raise _usage("An --api fault needs --status (429, 500, 502, 503, 504) or --delay.")
        if status is not None and status not in FAULT_STATUSES:
            raise _usage(f"--status {status}: a fault answers 429, 500, 502, 503 or 504.")
        try:
            parse_api_match(api)
        except ValueError as err:
            raise _usage(f"--api: {err}") from None
        resource = _faults(app, "add")
        fault = resource.api(
            api, status=status, retry_after=retry_after, delay_ms=delay_ms, **counted
        )
    else:
        if status is not None or retry_after is not None:
            raise _usage("--status and --retry-after are for --api faults, not --deliveries.")
        if sign_with is not None and sign_with not in SIGN_WITH:
            raise _usage(f"--sign-with {sign_with}: use wrong-secret or old-secret.")
        if not (duplicate or reorder or delay_ms or sign_with):
            raise _usage(
                "A --deliveries fault needs --duplicate, --reorder N, --delay or --sign-with."
            )
        resource = _faults(app, "add")
        fault = resource.deliveries(
            event_types=event_type or None,
            webhook_id=webhook,
            duplicate=duplicate,
            reorder=reorder,
            delay_ms=delay_ms,
            sign_with=sign_with,
            **counted,
        )
    show_done(
        app,
        fault,
        f"Added fault {fault['id']}: {_summary(fault)}",
        json_output=json_output,
        then=lambda: app.printer.info(f"`cstar dev faults remove {fault['id']}` takes it away."),
    )


def faults_list(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List the faults of the local platform's test environment, used-up ones included.

    Example: cstar dev faults list
    """
    app = app_of(ctx, json_output=json_output)
    faults = _faults(app, "list").list()
    if json_output:
        app.printer.json(faults)
        return
    rows = [
        {
            **f,
            "matches": _matches(f),
            "does": _does(f),
            "left": "until removed" if f["remaining"] is None else f["remaining"],
        }
        for f in faults
    ]
    app.printer.table(rows, FAULT_COLUMNS, empty="No faults.")


def faults_remove(
    ctx: typer.Context,
    fault_id: str = typer.Argument(..., metavar="ID", help="The fault's id (flt_…)."),
    json_output: JsonOption = False,
) -> None:
    """Remove one fault.

    Example: cstar dev faults remove flt_…
    """
    app = app_of(ctx, json_output=json_output)
    result = _faults(app, "remove").remove(fault_id)
    show_done(app, result, f"Removed fault {result['id']}.", json_output=json_output)


def faults_clear(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Remove every fault.

    Example: cstar dev faults clear
    """
    app = app_of(ctx, json_output=json_output)
    result = _faults(app, "clear").clear()
    show_done(app, result, f"Removed {result['deleted']} fault(s).", json_output=json_output)


# -- words ---------------------------------------------------------------------------------------
def _delivery_flags(
    event_type: list[str] | None,
    webhook: str | None,
    duplicate: bool,
    reorder: int | None,
    sign_with: str | None,
) -> list[tuple[str, object]]:
    flags = [
        ("--event-type", event_type),
        ("--webhook", webhook),
        ("--duplicate", duplicate),
        ("--reorder", reorder),
        ("--sign-with", sign_with),
    ]
    return [(flag, value) for flag, value in flags if value]


def _matches(fault: dict[str, Any]) -> str:
    match = fault.get("match") or {}
    if fault["on"] == "api":
        return " ".join(p for p in (match.get("method"), match.get("path")) if p) or "every request"
    words = [", ".join(match.get("eventTypes") or ["every event"])]
    if match.get("webhookId"):
        words.append(f"to {match['webhookId']}")
    return " ".join(words)


def _does(fault: dict[str, Any]) -> str:
    words: list[str] = []
    answer = fault.get("answer")
    if answer:
        retry = answer.get("retryAfter")
        words.append(f"answers {answer['status']}" + (f" (Retry-After {retry})" if retry else ""))
    if fault.get("duplicate"):
        words.append("delivers twice")
    if fault.get("reorder"):
        words.append(f"shuffles windows of {fault['reorder']}")
    if fault.get("signWith"):
        words.append(f"signs with the {fault['signWith']}")
    if fault.get("delayMs"):
        words.append(f"delays {fault['delayMs']} ms")
    return ", ".join(words)


def _summary(fault: dict[str, Any]) -> str:
    times = "until removed" if fault["count"] is None else f"{fault['count']} time(s)"
    return f"{_matches(fault)} → {_does(fault)}, {times}."


def build() -> typer.Typer:
    group = typer.Typer(
        add_completion=False,
        rich_markup_mode=None,
        no_args_is_help=True,
        help="Faults on purpose (D38): make the local platform's API fail or lag, and its "
        "webhook deliveries misbehave, to test your failure handling.",
    )
    group.command("add")(faults_add)
    group.command("list")(faults_list)
    group.command("remove")(faults_remove)
    group.command("clear")(faults_clear)
    return group
