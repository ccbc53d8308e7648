"""``cstar logs``: the team's API request log, recent or live, filtered on the server (D17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.common import SinceOption, app_of, one_command

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext

STATUS_STYLES = {"2": "green", "3": "cyan", "4": "yellow", "5": "red"}


def logs(
    ctx: typer.Context,
    tail: bool = typer.Option(False, "--tail", "-f", help="Stream new requests live."),
    method: str | None = typer.Option(None, "--method", help="GET, POST, … (comma-separated)."),
    path: str | None = typer.Option(
        None, "--path", help="Path prefix or * glob, team-relative: /tickets, /tickets/*/messages."
    ),
    status: str | None = typer.Option(None, "--status", help="Exact codes: 404 or 400,409."),
    status_class: str | None = typer.Option(None, "--status-class", help="2xx, 3xx, 4xx or 5xx."),
    source: str | None = typer.Option(None, "--source", help="api, cli, mcp, sdk or dashboard."),
    since: SinceOption = None,
    limit: int = typer.Option(
        20, "--limit", min=1, max=100, help="Entries to show without --tail."
    ),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Show the team's API request log: recent entries, or live with --tail.

    Every request made with a key of this team and environment appears, failures and refused
    keys included: time, status, method, path, duration, request id, and the error for
    failures. Filters are applied by the platform.

    Example: cstar logs --tail --status-class 4xx --path /tickets
    """
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.wire.logfilters import BadFilter, LogFilters
    from cstar_cli.wire.times import is_duration

    app = app_of(ctx, json_output=json_output)

    def parse(now: float | None = None) -> dict[str, str]:
        filters = LogFilters.parse(
            method=method,
            path=path,
            status=status,
            status_class=status_class,
            source=source,
            since=since,
            durations=True,
            now=now,
        )
        return filters.query()

    try:
        params = parse()  # checked before any call (exit 2)
    except BadFilter as err:
        flag = "--status-class" if err.param == "statusClass" else f"--{err.param}"
        raise UsageError(err.named(flag), "See `cstar logs --help` for the filters.") from None
    if since and is_duration(since):
        params = parse(app.client().team_now())  # 10m back on the team's clock (D37)
    printer = LogPrinter(app, json_output)
    if not tail:
        show_recent(app, params, limit, printer)
        return
    run_tail(app, params, printer)


class LogPrinter:
    """One line per entry (and one more with the error for failures), or one JSON object."""

    def __init__(self, app: AppContext, json_output: bool) -> None:
        self.app = app
        self.json = json_output
        self.team_id: str | None = None

    def __call__(self, entry: dict[str, Any]) -> None:
        from cstar_cli.cli.commands.logs.tail import clock_time, short_path

        printer = self.app.printer
        if self.json:
            printer.json_line(entry)
            return
        status = str(entry["status"])
        where = short_path(entry["path"], self.team_id)
        line = (  # fixed-width fields first, so rows line up whatever the path's length
            f"{clock_time(entry['createdAt'])}  [{status}]  {entry['method']:<6} "
            f"{entry['durationMs']:>5.0f} ms  {entry['id']}  {where}"
        )
        if entry.get("fault"):
            line += f"  fault: {entry['fault']}"  # failed or delayed on purpose (D38)
        printer.styled_line(line, STATUS_STYLES.get(status[0]))
        error = entry.get("error")
        if error:
            printer.text(f"    {error.get('type')} {error.get('code')}: {error.get('message')}")


def show_recent(app: AppContext, params: dict[str, str], limit: int, printer: LogPrinter) -> None:
    client = app.client()
    page = client.logs.list({**params, "pageSize": str(limit)})
    printer.team_id = client.team_id
    entries = list(reversed(page.data))
    if not entries and not printer.json:
        app.printer.info("No matching requests yet.")
    for entry in entries:
        printer(entry)


def run_tail(app: AppContext, params: dict[str, str], printer: LogPrinter) -> None:
    """Stream until Ctrl-C (exit 130) or SIGTERM (0); reconnects by itself."""
    import asyncio
    import signal

    from cstar_cli.cli.commands.logs.notices import TailNotices
    from cstar_cli.cli.commands.logs.tail import LogTail
    from cstar_cli.cli.errors import Stopped
    from cstar_cli.cli.streamerrors import stream_refused
    from cstar_cli.client.websocket import SocketFatal, run_socket

    client = app.client()
    resolved = app.require_key()
    stream_path = client.logs.stream_path()
    printer.team_id = client.team_id
    base, _ = app.api_base()
    url = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + stream_path
    notices = TailNotices(app.printer, stream="request logs", item="line")
    tailer = LogTail(
        url, params, printer, on_ready=notices.connected, on_disconnect=notices.disconnected
    )
    interrupted: list[int] = []

    async def main() -> bool:
        """True when stopped by Ctrl-C."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def stopper(sig: int) -> None:
            interrupted.append(sig)
            stop.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopper, sig)
        try:
            await run_socket(tailer, resolved.api_key, stop)
        except SocketFatal as err:
            raise stream_refused(err.code, err.message, command="cstar logs --tail") from None
        return bool(interrupted) and interrupted[0] == signal.SIGINT

    if asyncio.run(main()):
        raise Stopped


def build(name: str) -> typer.Typer:
    return one_command(logs)
