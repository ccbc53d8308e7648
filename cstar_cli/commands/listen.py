"""``cstar listen``: relay webhook events to a local URL, signed, without losing any (D14–D16)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.commands._common import app_of

if TYPE_CHECKING:
    from cstar_cli.api.client import AsyncCstarClient
    from cstar_cli.context import AppContext
    from cstar_cli.relay.forward import ForwardResult, RelayEvent
    from cstar_cli.relay.session import SessionInfo


def listen(
    ctx: typer.Context,
    forward_to: str | None = typer.Option(
        None,
        "--forward-to",
        "-f",
        help="Where to POST events: a URL, a port (3000) or a path (/webhooks) on localhost.",
    ),
    events: str | None = typer.Option(
        None, "--events", "-e", help="Event types to receive: ticket.created,customer.*,… (all)."
    ),
    header: list[str] | None = typer.Option(
        None, "--header", "-H", help="Extra header for each forward, 'Name: value' (repeatable)."
    ),
    timeout: float = typer.Option(
        10.0, "--timeout", min=0.1, help="Seconds to wait for the local endpoint."
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
        None, "--device-name", help="Session name (default: this host); same name resumes it."
    ),
    max_in_flight: int = typer.Option(
        16, "--max-in-flight", min=1, max=256, help="Forwards running at once."
    ),
    ordered: bool = typer.Option(
        False, "--ordered", help="Forward strictly one at a time, in order."
    ),
    retries: int = typer.Option(
        5, "--retries", min=0, max=20, help="Retries when the local endpoint fails or is down."
    ),
    json_output: bool = typer.Option(
        False, "--json", help="One JSON object per line on stdout: ready, event, response."
    ),
) -> None:
    """Relay webhook events to a local URL, signed, without losing any.

    Events that arrive while you are offline, asleep or reconnecting wait on the platform and
    are delivered once you are back, in order, each exactly once to your endpoint.

    Example: cstar listen --forward-to localhost:3000/webhooks --events 'ticket.*'
    """
    from cstar_cli import catalog
    from cstar_cli.errors import UsageError
    from cstar_cli.relay.forward import InvalidForwardTarget, parse_forward_to
    from cstar_cli.relay.session import ListenOptions

    app = app_of(ctx, json_output=json_output)
    patterns: list[str] | None = None
    if events:
        try:
            patterns = catalog.validate_patterns(events.split(","))
        except ValueError as err:
            raise UsageError(str(err), "See `cstar trigger --list` for every event type.") from None
    if forward_to is None and not print_secret:
        raise UsageError(
            "Missing --forward-to.", "Example: cstar listen --forward-to localhost:3000/webhooks"
        )
    target = ""
    if forward_to is not None:
        try:
            target = parse_forward_to(forward_to)
        except InvalidForwardTarget as err:
            raise UsageError(str(err)) from None
    options = ListenOptions(
        forward_to=target,
        events=patterns,
        device_name=device_name,
        headers=parse_headers(header or []),
        timeout=timeout,
        verify_tls=not skip_verify,
        legacy_signature=not no_legacy_signature,
        max_in_flight=max_in_flight,
        ordered=ordered,
        retries=retries,
    )
    code = run_listen(app, options, print_secret=print_secret, json_output=json_output)
    if code:
        raise typer.Exit(code)


def parse_headers(values: list[str]) -> dict[str, str]:
    from cstar_cli.errors import UsageError

    headers: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
            raise UsageError(f"Invalid header {raw!r}.", "Use -H 'Name: value'.")
        headers[name.strip()] = value.strip()
    return headers


def async_client(app: AppContext) -> tuple[AsyncCstarClient, str]:
    """An async client for the profile, and the key it uses."""
    from cstar_cli.api.client import AsyncCstarClient

    resolved = app.require_key()
    team_id = app.profile_settings().get("team_id") if resolved.from_store else None
    base, _ = app.api_base()
    client = AsyncCstarClient(
        resolved.api_key,
        team_id=str(team_id) if team_id else None,
        api_base=base,
        timeout=app.services.timeout,
        retry=app.services.retry,
    )
    return client, resolved.api_key


def run_listen(app: AppContext, options: Any, *, print_secret: bool, json_output: bool) -> int:
    """Run the relay until Ctrl-C (exit 130), SIGTERM (0) or a takeover (0)."""
    import asyncio
    import signal

    from cstar_cli.relay.session import Listener, open_session

    client, api_key = async_client(app)
    reporter = ListenReporter(app, options.forward_to, json_output)
    interrupted: list[int] = []

    async def main() -> int:
        async with client:
            if print_secret:
                session = await open_session(client, options.events, options.device_name)
                if json_output:
                    app.printer.json_line(
                        {"sessionId": session.id, "signingSecret": session.signing_secret},
                        reveal=True,
                    )
                else:
                    app.printer.text(session.signing_secret, reveal=True)
                return 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, _stopper(stop, interrupted, sig))
            listener = Listener(client, api_key, options, reporter)
            outcome = await listener.run(stop)
            if outcome == "stopped" and interrupted:
                app.printer.info(
                    f"Stopped after forwarding {listener.forwarded} event(s); "
                    "everything forwarded was acknowledged."
                )
                return 130 if interrupted[0] == signal.SIGINT else 0
            return 0

    return asyncio.run(main())


def _stopper(stop: Any, interrupted: list[int], sig: int) -> Any:
    def handler() -> None:
        interrupted.append(sig)
        stop.set()

    return handler


class ListenReporter:
    """Prints what the relay does: data lines on stdout, connection news on stderr."""

    def __init__(self, app: AppContext, forward_to: str, json_output: bool) -> None:
        self.printer = app.printer
        self.forward_to = forward_to
        self.json = json_output

    @staticmethod
    def _now() -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S")

    def ready(self, session: SessionInfo) -> None:
        if self.json:
            self.printer.json_line(
                {
                    "type": "ready",
                    "sessionId": session.id,
                    "signingSecret": session.signing_secret,
                    "forwardTo": self.forward_to,
                    "deviceName": session.device_name,
                    "events": session.events,
                    "pending": session.pending,
                },
                reveal=True,
            )
            return
        self.printer.text(
            f"> Ready! Forwarding {', '.join(session.events)} to {self.forward_to} "
            f"(session {session.id}, device {session.device_name!r})",
        )
        self.printer.text(
            f"> Your webhook signing secret is {session.signing_secret} (^C to quit)", reveal=True
        )
        if session.pending:
            self.printer.text(f"> {session.pending} event(s) waited for you; delivering them now.")

    def received(self, event: RelayEvent) -> None:
        if self.json:
            self.printer.json_line(
                {
                    "type": "event",
                    "seq": event.seq,
                    "eventId": event.event_id,
                    "eventType": event.event_type,
                    "deliveryId": event.delivery_id,
                }
            )
            return
        self.printer.text(f"{self._now()}   --> {event.event_type} [{event.event_id}]", reveal=True)

    def responded(self, event: RelayEvent, result: ForwardResult) -> None:
        if self.json:
            self.printer.json_line(
                {
                    "type": "response",
                    "seq": event.seq,
                    "eventId": event.event_id,
                    "status": result.status,
                    "durationMs": result.duration_ms,
                    "attempts": result.attempts,
                    "error": result.error,
                }
            )
            return
        status = f"[{result.status}]" if result.status is not None else "[ERR]"
        tail = f" after {result.attempts} attempts" if result.attempts > 1 else ""
        problem = f" {result.error}" if result.error and not result.ok else ""
        self.printer.text(
            f"{self._now()}   <-- {status} POST {self.forward_to} ({result.duration_ms:.0f} ms)"
            f"{tail}{problem} [{event.event_id}]",
            reveal=True,
        )

    def disconnected(self, reason: str, retry_in: float) -> None:
        self.printer.warn(
            f"Disconnected: {reason}. Reconnecting in {retry_in:.1f} s; "
            "events wait on the platform meanwhile."
        )

    def reconnected(self, pending: int) -> None:
        waiting = f"; {pending} event(s) waiting" if pending else ""
        self.printer.success(f"Reconnected{waiting}. Resuming where we stopped.")

    def notice(self, message: str) -> None:
        self.printer.info(message)
