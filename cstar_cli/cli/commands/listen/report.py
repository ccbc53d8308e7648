"""What ``cstar listen`` prints: ``-->``/``<--`` lines (or JSON lines) on stdout, news on stderr.

On a terminal the lines fit its width (:mod:`.lines`), and what is down right now — the
platform, a target — is one line on stderr that updates in place and is gone once it is back,
or once listen stops. Elsewhere (a log file) each outage is said once, and so is its end.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from cstar_cli.cli.commands.listen.lines import (
    held_status,
    platform_status,
    received_line,
    responded_parts,
)

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.listen.forward import RelayEvent
    from cstar_cli.listen.route import Answer, RouteInfo
    from cstar_cli.listen.session import SessionInfo

STATUS_STYLES = {"2": "green", "3": "cyan", "4": "yellow", "5": "red"}
HELD_REPEAT = 5.0  # seconds between repeats of the held line when stderr is not a terminal


class ListenReporter:
    """Prints what the relay does; ``--json`` turns data lines into one JSON object each."""

    def __init__(self, app: AppContext, *, json_output: bool, print_json: bool = False) -> None:
        self.printer = app.printer
        self.json = json_output
        self.print_json = print_json
        self.session: SessionInfo | None = None
        self.routes = 0
        self._held_printed: dict[str, tuple[float, int]] = {}
        self._flush_due = False
        self._offline: tuple[str, float] | None = None
        """Why the platform can't be reached and when the next try is, while it can't."""
        self._held: dict[str, tuple[str, int, str]] = {}
        """The routes holding events on a terminal: id → target, events held, why."""
        self._stopped = False

    def _later(self) -> bool:
        """Per-event lines are flushed once per turn of the event loop, not each (busy streams)."""
        if not self._flush_due:
            self._flush_due = True
            asyncio.get_running_loop().call_soon(self._flush)
        return False

    def _flush(self) -> None:
        self._flush_due = False
        self.printer.flush()

    @staticmethod
    def _now() -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S")

    def resend_command(self, event: RelayEvent) -> str:
        session = self.session.id if self.session else "cls_…"
        return f"cstar events resend {event.event_id} --session {session}"

    # -- the session ---------------------------------------------------------------------------
    def ready(self, session: SessionInfo, ready: dict[str, Any]) -> None:
        self.session = session
        routes = list(ready.get("routes") or [])
        self.routes = len(routes)
        if self.json:
            self.printer.json_line(
                {
                    "type": "ready",
                    "sessionId": session.id,
                    "signingSecret": session.signing_secret,
                    "deviceName": session.device_name,
                    "mode": ready.get("mode", "forward"),
                    "events": session.events,
                    "forwardTo": routes[0]["target"] if routes else None,
                    "routes": routes,
                    "inactiveRoutes": ready.get("inactiveRoutes") or [],
                    "pending": int(ready.get("pending", 0)),
                    "tookOver": bool(ready.get("tookOver")),
                },
                reveal=True,
            )
            return
        say = self.printer.text
        if not routes:
            say(
                f"> Ready! Printing {', '.join(session.events)} as it happens (session "
                f"{session.id}, device {session.device_name!r}); nothing is forwarded or "
                "acknowledged. ^C to quit"
            )
            return
        say(f"> Ready! Session {session.id} (device {session.device_name!r}), ^C to quit")
        for route in routes:
            waiting = route.get("pending") or 0
            tail = f" ({waiting} event(s) waited for you; delivering them now)" if waiting else ""
            say(f"> Forwarding {', '.join(route['events'])} to {route['target']}{tail}")
        say(f"> Your webhook signing secret is {session.signing_secret}", reveal=True)
        for route in ready.get("inactiveRoutes") or []:
            spec = ",".join(route["events"])
            self.printer.warn(
                f"{route['pending']} event(s) wait for a route this run doesn't have "
                f"({spec} → {route['target']}); run with -f '{spec}={route['target']}' to get "
                "them."
            )

    def disconnected(self, reason: str, retry_in: float) -> None:
        """The connection to the platform dropped, or another try failed: one updating line on
        a terminal; elsewhere, said once until it is back."""
        if self._stopped:
            return
        said = self._offline is not None
        self._offline = (reason, retry_in)
        if self.printer.stderr_is_terminal():
            self._draw()
        elif not said:
            self.printer.warn(
                f"Disconnected: {reason}. Reconnecting until the platform is back; "
                "events wait there meanwhile."
            )

    def reconnected(self, pending: int) -> None:
        if self._offline is not None:
            self._offline = None
            self._draw()
        waiting = f"; {pending} event(s) waiting" if pending else ""
        self.printer.success(f"Reconnected{waiting}. Resuming where we stopped.")

    def _draw(self) -> None:
        """The updating line on a terminal: the platform while it can't be reached, else the
        targets holding events; none when everything is up."""
        if self._stopped or not self.printer.stderr_is_terminal():
            return
        width = self.printer.width(err=True)
        if self._offline is not None:
            self.printer.status(platform_status(*self._offline, width=width))
        elif self._held:
            self.printer.status(held_status(list(self._held.values()), width=width))
        else:
            self.printer.status(None)

    def stopping(self, sending: int, unfinished: int) -> None:
        self._stopped = True  # nothing redraws a status line from now on
        self.printer.status(None)
        if sending:
            message = f"Stopping: finishing {sending} forward{'s' if sending != 1 else ''}; "
            message += "Ctrl-C again to stop now."
        else:
            message = "Stopping."
        left = unfinished - sending
        if left > 0:
            events = (
                "1 event not yet forwarded stays"
                if left == 1
                else f"{left} events not yet forwarded stay"
            )
            message += f" {events} queued on the platform for the next `cstar listen`."
        self.printer.info(message)

    def notice(self, message: str) -> None:
        self.printer.info(message)

    # -- events ----------------------------------------------------------------------------------
    def shown(self, event: RelayEvent) -> None:
        """Print mode: an event, shown and not forwarded."""
        self._event_line(None, event)

    def received(self, route: RouteInfo, event: RelayEvent) -> None:
        self._event_line(route, event)

    def _event_line(self, route: RouteInfo | None, event: RelayEvent) -> None:
        if self.json:
            line: dict[str, Any] = {
                "type": "event",
                "eventId": event.event_id,
                "eventType": event.event_type,
            }
            if route is not None:
                line.update(
                    route=route.id,
                    target=route.target,
                    seq=event.seq,
                    deliveryId=event.delivery_id,
                    attempt=event.attempt,
                    resend=event.resend,
                )
            if self.print_json:
                line["payload"] = json.loads(event.payload)
            self.printer.json_line(line, flush=self._later())
            return
        text = received_line(
            self._now(),
            event.event_type,
            event.event_id,
            target=route.target if route is not None and self.routes > 1 else None,
            resend_attempt=event.attempt if event.resend else None,
            width=self.printer.width(),
        )
        self.printer.text(text, reveal=True, flush=self._later())
        if self.print_json:
            self.printer.text(json.dumps(json.loads(event.payload), indent=2, ensure_ascii=False))

    def responded(self, route: RouteInfo, event: RelayEvent, answer: Answer) -> None:
        attempt, retry_in = answer.attempt, answer.retry_in
        outcome = answer.outcome
        if self.json:
            self.printer.json_line(
                {
                    "type": "response",
                    "route": route.id,
                    "target": route.target,
                    "seq": event.seq,
                    "eventId": event.event_id,
                    "deliveryId": event.delivery_id,
                    "status": attempt.status,
                    "durationMs": attempt.duration_ms,
                    "attempt": answer.tries,
                    "maxAttempts": answer.max_tries,
                    "deliveryAttempt": attempt.number,
                    "error": attempt.error,
                    "outcome": outcome,
                    "final": retry_in is None,
                    "retryIn": retry_in,
                    "resend": event.resend,
                    "resendCommand": self.resend_command(event) if outcome == "failed" else None,
                },
                flush=self._later(),
            )
            return
        status = f"[{attempt.status}]" if attempt.status is not None else "[ERR]"
        style = STATUS_STYLES.get(status[1], "red")
        parts = responded_parts(
            self._now(),
            status,
            route.target,
            f"{attempt.duration_ms:.0f} ms",
            _note_forms(answer),
            event.event_id,
            many_routes=self.routes > 1,
            width=self.printer.width(),
        )
        self.printer.styled_parts(
            [(text, style if index == 1 else None) for index, text in enumerate(parts)],
            reveal=True,
            flush=self._later(),
        )
        if outcome == "failed":
            self.printer.info(f"Resend it with: {self.resend_command(event)}")

    # -- holding -----------------------------------------------------------------------------
    def held(self, route: RouteInfo, count: int, reason: str) -> None:
        if self.json:
            self.printer.json_line(
                {
                    "type": "held",
                    "route": route.id,
                    "target": route.target,
                    "held": count,
                    "reason": reason,
                }
            )
        if self._stopped:
            return
        events = f"{count} event{'s' if count != 1 else ''}"
        if self.printer.stderr_is_terminal():
            self._held[route.id] = (route.target, count, reason)
            self._draw()
            return
        now = time.monotonic()
        last = self._held_printed.get(route.id)
        if last is not None and (count == last[1] or now - last[0] < HELD_REPEAT):
            return
        self._held_printed[route.id] = (now, count)
        self.printer.status(
            f"{route.target} can't be reached ({reason}); holding {events} in order and retrying…"
        )

    def released(self, route: RouteInfo, count: int) -> None:
        if self.json:
            self.printer.json_line(
                {"type": "held", "route": route.id, "target": route.target, "held": 0}
            )
        self._held_printed.pop(route.id, None)
        if self._held.pop(route.id, None) is not None:
            self._draw()
        self.printer.success(
            f"{route.target} answered again; delivering {count} held "
            f"event{'s' if count != 1 else ''} in order."
        )


def _note_forms(answer: Answer) -> list[str]:
    """What follows a ``<--`` line's duration, whole and shorter: the error of an attempt that
    got no answer, and where the retries stand."""
    attempt, retry_in, outcome = answer.attempt, answer.retry_in, answer.outcome
    count = f"{answer.tries}/{answer.max_tries}"
    error = f" · {attempt.error}" if attempt.error and attempt.status is None else ""
    if retry_in is not None:
        wait = f"{retry_in:g} s"
        ends = [
            f" · attempt {count}, retrying in {wait}",
            f" · {count}, retry in {wait}",
            f" · {count}",
        ]
    elif outcome == "failed":
        ends = [f" · attempt {count}, failed", f" · {count} failed", " · failed"]
    elif outcome == "rejected":
        ends = [" · not retried"]
    elif answer.tries > 1:
        ends = [f" · attempt {count}", f" · {count}"]
    else:
        ends = [""]
    forms = [error + end for end in ends]
    if error:
        forms.append(ends[-1])  # the error goes before where the retries stand
    return forms
