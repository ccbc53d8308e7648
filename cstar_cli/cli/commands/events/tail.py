"""``cstar events --tail``: the realtime stream (D26) in the terminal, like ``cstar logs --tail``.

It iterates :meth:`CstarClient.realtime`, which reconnects by itself and resumes with
``Last-Event-ID`` after the last event shown, so an interrupted stream neither loses nor repeats
a line. Ctrl-C stops it (exit 130), SIGTERM too (exit 0); a key that is revoked or expires ends
it with exit 4 saying why (D28).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.client.realtime import RealtimeEvent

COMMAND = "cstar events --tail"


class _Terminated(Exception):
    """SIGTERM arrived: stop as cleanly as Ctrl-C, but exit 0."""


def event_line(event: RealtimeEvent) -> str:
    """``14:30:00  ticket.created  evt_…  tkt_…``: time, type, id and the main object's id."""
    from cstar_cli.cli.commands.logs.tail import clock_time
    from cstar_cli.cli.render import event_row

    row = event_row(event.payload)
    when = clock_time(str(row["createdAt"] or ""))
    return f"{when}  {event.type:<28} {event.id}  {row['object'] or ''}".rstrip()


def run_tail(
    app: AppContext,
    events: Sequence[str],
    after: str | None,
    show: Callable[[RealtimeEvent], None],
) -> int:
    """Stream until Ctrl-C (130) or SIGTERM (0); a refused or ended stream raises the error."""
    from cstar_cli.cli.commands.logs.notices import TailNotices
    from cstar_cli.cli.streamerrors import stream_refused
    from cstar_cli.client.errors import CstarAPIError

    notices = TailNotices(app.printer, stream="events", item="event")
    stream = app.client().realtime(
        list(events) or None,
        last_event_id=after,
        on_connect=notices.connected,
        on_disconnect=notices.disconnected,
    )
    try:
        with _sigterm_stops():
            for event in stream:
                show(event)
    except KeyboardInterrupt:
        return 130
    except _Terminated:
        return 0
    except CstarAPIError as err:
        if err.status in (401, 403):
            raise stream_refused(err.code, err.message, command=COMMAND) from None
        raise
    return 0


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
