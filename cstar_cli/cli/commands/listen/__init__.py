"""``cstar listen``: relay webhook events to local URLs, signed, in order, without losing any."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.common import app_of, one_command
from cstar_cli.cli.suggest import complete_event_types

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.listen.session import ListenOptions


def listen(
    ctx: typer.Context,
    forward_to: list[str] | None = typer.Option(
        None,
        "--forward-to",
        "-f",
        metavar="[EVENTS=]URL",
        help="Where to POST events: a URL, or on localhost a port (3000), a path (/webhooks) "
        "or both (3000/webhooks). Repeatable; 'boss.*,player.*=localhost:4000/game' sends only "
        "those events there.",
    ),
    events: str | None = typer.Option(
        None,
        "--events",
        "-e",
        metavar="PATTERNS",
        help="Event types to receive: ticket.created,customer.*,… (all).",
        autocompletion=complete_event_types,
    ),
    header: list[str] | None = typer.Option(
        None,
        "--header",
        "-H",
        metavar="'NAME: VALUE'",
        help="Extra header for each forward (repeatable).",
    ),
    timeout: float = typer.Option(
        10.0,
        "--timeout",
        min=0.1,
        metavar="SECONDS",
        help="Seconds to wait for the local endpoint's answer.",
    ),
    skip_verify: bool = typer.Option(
        False, "--skip-verify", help="Don't verify the local endpoint's TLS certificate."
    ),
    print_secret: bool = typer.Option(
        False, "--print-secret", help="Print the session's signing secret and exit."
    ),
    no_legacy_signature: bool = typer.Option(
        False, "--no-legacy-signature", help="Don't add the X-Cstar-Signature header."
    ),
    device_name: str | None = typer.Option(
        None,
        "--device-name",
        metavar="NAME",
        help="Session name (default: this host); the same name resumes it.",
    ),
    max_in_flight: int = typer.Option(
        1,
        "--max-in-flight",
        min=1,
        max=256,
        metavar="N",
        help="Forward up to N events at once per target. More than 1 gives up order "
        "for throughput (default 1: in order).",
    ),
    ordered: bool = typer.Option(
        False, "--ordered", help="Forward in order, one at a time (the default; kept as alias)."
    ),
    retries: int = typer.Option(
        3,
        "--retries",
        min=0,
        max=20,
        metavar="N",
        help="Retries of an answer that is a 5xx, a timeout or broken. An endpoint that can't "
        "be reached is retried until it is back, whatever this says.",
    ),
    print_json: bool = typer.Option(
        False, "--print-json", help="Add each event's full payload to its line."
    ),
    json_output: bool = typer.Option(
        False,
        "--json",
        help="One JSON object per line on stdout: ready, event, response, held.",
    ),
) -> None:
    """Relay webhook events to local URLs, signed, in order, without losing any.

    Events that arrive while you are offline, asleep or reconnecting wait on the platform, and
    events for a local server that is down or restarting wait in `cstar listen`: everything is
    delivered once it is back, in order, once to each target. Without --forward-to, events are
    only printed.

    In a project with a cstar.toml (here or in a folder above), its [listen] table gives
    forward-to, events and headers; a flag or a CSTAR_LISTEN_* variable replaces its value.

    Example: cstar listen --forward-to localhost:3000/webhooks --events 'ticket.*'
    """
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.cli.settings import notice
    from cstar_cli.listen.session import ListenOptions
    from cstar_cli.listen.targets import ACCEPTED_FORMS, InvalidForwardTarget, parse_route
    from cstar_cli.wire import catalog

    app = app_of(ctx, json_output=json_output)
    settings = {
        "listen.forward-to": app.setting("listen.forward-to", forward_to),
        "listen.events": app.setting("listen.events", events),
        "listen.headers": app.setting("listen.headers", header),
    }
    patterns: list[str] | None = None if events is not None else settings["listen.events"].value
    if events:
        try:
            patterns = catalog.validate_patterns(events.split(","))
        except ValueError as err:
            said = isinstance(err, catalog.UnknownEventTypeError)  # its message names --list
            hint = None if said else "See `cstar trigger --list` for every event type."
            raise UsageError(str(err), hint, code="unknown_event_type") from None
    if ordered and max_in_flight > 1:
        raise UsageError(
            "--ordered and --max-in-flight above 1 contradict each other.",
            "Forwarding in order is the default; drop --ordered to forward several at once.",
        )
    try:
        routes = [parse_route(value) for value in settings["listen.forward-to"].value]
    except InvalidForwardTarget as err:
        raise UsageError(str(err), ACCEPTED_FORMS) from None
    if len({(r.target, r.patterns) for r in routes}) != len(routes):
        raise UsageError("The same --forward-to is given twice.", "Give each target once.")
    headers = settings["listen.headers"].value if header is None else parse_headers(header)
    using = notice(settings)
    if using:
        app.printer.info(using)
    name = device_name
    if not routes and not print_secret:
        import socket

        name = print_device_name(device_name or socket.gethostname() or "default")
    options = ListenOptions(
        routes=routes,
        events=patterns,
        device_name=name,
        headers=headers,
        timeout=timeout,
        verify_tls=not skip_verify,
        legacy_signature=not no_legacy_signature,
        max_in_flight=max_in_flight,
        retries=retries,
    )
    run_listen(
        app, options, print_secret=print_secret, json_output=json_output, print_json=print_json
    )


def print_device_name(device: str) -> str:
    """Print mode's own session (D15): it never drains a forwarding listener's backlog."""
    return device if device.endswith("-print") else f"{device}-print"


def parse_headers(values: list[str]) -> dict[str, str]:
    from cstar_cli.cli.errors import UsageError

    headers: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
            raise UsageError(f"Invalid header {raw!r}.", "Use -H 'Name: value'.")
        headers[name.strip()] = value.strip()
    return headers


def run_listen(
    app: AppContext,
    options: ListenOptions,
    *,
    print_secret: bool,
    json_output: bool,
    print_json: bool = False,
) -> None:
    """Run the relay until Ctrl-C (exit 130; a second one stops at once), SIGTERM (0), a
    takeover (0) or the reader of its output going away (141, quietly: `| head`)."""
    import asyncio
    import signal

    from cstar_cli.cli.commands.listen.report import ListenReporter
    from cstar_cli.cli.errors import ExitCode, Stopped
    from cstar_cli.cli.pipes import OutputClosed
    from cstar_cli.listen.session import Listener, open_session

    client = app.async_client()
    reporter = ListenReporter(app, json_output=json_output, print_json=print_json)
    interrupted: list[int] = []

    async def main() -> ExitCode:
        async with client:
            if print_secret:
                session = await open_session(client, options, declare_routes=False)
                if json_output:
                    app.printer.json_line(
                        {"sessionId": session.id, "signingSecret": session.signing_secret},
                        reveal=True,
                    )
                else:
                    app.printer.text(session.signing_secret, reveal=True)
                return ExitCode.OK
            stop = asyncio.Event()
            assert client.api_key is not None
            listener = Listener(client, client.api_key, options, reporter)
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, _stopper(stop, listener, interrupted, sig))
            app.printer.on_closed = stop.set  # `| head`: wind down as for Ctrl-C, say nothing
            outcome = await listener.run(stop)
            if app.printer.closed:
                return ExitCode.PIPE_CLOSED
            if outcome == "aborted":
                app.printer.info(
                    "Stopped at once; whatever was not acknowledged stays queued on the platform."
                )
                return ExitCode.INTERRUPTED
            if outcome == "stopped" and interrupted:
                if not options.print_mode:
                    app.printer.info(
                        f"Stopped after forwarding {listener.forwarded} event(s); "
                        "everything forwarded was acknowledged."
                    )
                return ExitCode.INTERRUPTED if interrupted[0] == signal.SIGINT else ExitCode.OK
            return ExitCode.OK

    try:
        code = asyncio.run(main())
    finally:
        app.printer.status(None)  # the prompt comes back on a line of its own
    if code == ExitCode.PIPE_CLOSED:
        raise OutputClosed
    if code == ExitCode.INTERRUPTED:
        raise Stopped


def _stopper(stop: Any, listener: Any, interrupted: list[int], sig: int) -> Any:
    def handler() -> None:
        interrupted.append(sig)
        if stop.is_set():
            listener.abort()  # the second signal: stop now
        stop.set()

    return handler


def build(name: str) -> typer.Typer:
    return one_command(listen)
