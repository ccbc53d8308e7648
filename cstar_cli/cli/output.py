"""The Printer: the only module that imports rich.

Data goes to stdout (a table, a detail view, or JSON with ``--json``); messages for people go to
stderr. Anything that looks like an API key or signing secret is redacted (``sk_test_…a1b2``)
unless the caller is printing a secret at the one moment it is created.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

from cstar_cli.wire.keys import SECRET_PATTERN

if TYPE_CHECKING:
    from rich.console import Console

    from cstar_cli.cli.errors import ErrorReport


def scrub(text: str) -> str:
    """Replace every secret-looking token in ``text`` with its redacted form.

    Safe on serialized JSON too: a token never contains a quote or a backslash, so redacting
    inside the text redacts inside its strings and leaves the document valid.
    """
    return SECRET_PATTERN.sub(lambda m: f"{m.group(1)}…{m.group(2)[-4:]}", text)


def cell(value: Any) -> str:
    """One value as table text: lists comma-joined, objects as compact JSON, None as '-'."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value) or "-"
    if isinstance(value, Mapping):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False) if value else "-"
    return str(value)


def table_cell(field: str, value: Any) -> str:
    """Like :func:`cell`, with timestamps shortened to ``YYYY-MM-DD HH:MM``."""
    if field.endswith("At") and isinstance(value, str) and len(value) >= 16 and value[10] == "T":
        return value[:10] + " " + value[11:16]
    return cell(value)


@cache
def console_class() -> type[Console]:
    """Rich's Console, but a closed pipe is the Printer's to handle (Rich would exit 1)."""
    from rich.console import Console

    class PipeAwareConsole(Console):
        printer: Printer

        def on_broken_pipe(self) -> None:
            self.quiet = True
            self.printer.output_closed(self.file)

    return PipeAwareConsole


class Printer:
    """Owns the consoles; created per run by the AppContext.

    When the reader of stdout or stderr goes away (``| head -1``) every later write is dropped
    and :class:`~cstar_cli.cli.pipes.OutputClosed` is raised, or ``on_closed`` is called
    instead when a long-running command set it (``cstar listen`` then winds down)."""

    def __init__(
        self,
        *,
        color: str = "auto",
        verbose: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.color = color
        self.verbose_enabled = verbose
        self.json_mode = False
        self._streams = (stdout or sys.stdout, stderr or sys.stderr)
        self._consoles: dict[bool, Console] = {}
        self._status: str | None = None  # the updating line on a terminal's stderr
        self.closed = False
        self.on_closed: Callable[[], None] | None = None

    # -- consoles ----------------------------------------------------------------------------

    def _stream(self, err: bool) -> TextIO:
        return self._streams[err]

    def _write(self, err: bool, text: str, *, flush: bool = True) -> None:
        """Write to stdout (or stderr), unless its reader is gone."""
        if self.closed:
            return
        stream = self._stream(err)
        try:
            stream.write(text)
            if flush:
                stream.flush()
        except BrokenPipeError:
            self.output_closed(stream)

    def output_closed(self, stream: Any) -> None:
        """The reader of ``stream`` went away: print nothing more; raise
        :class:`~cstar_cli.cli.pipes.OutputClosed` (or call ``on_closed``)."""
        from cstar_cli.cli.pipes import OutputClosed, silence

        self.closed = True
        for console in self._consoles.values():
            console.quiet = True
        silence(stream)
        if self.on_closed is not None:
            self.on_closed()
            return
        raise OutputClosed

    def _console(self, err: bool) -> Console:
        stream = self._stream(err)
        console = self._consoles.get(err)
        if console is None:
            # Piped output is never truncated; a terminal gets its own width.
            width = None if stream.isatty() else 1000
            console = console_class()(
                file=stream,
                width=width,
                no_color=self.color == "never",
                force_terminal=True if self.color == "always" else None,
                highlight=False,
                emoji=False,
            )
            if self.color == "never":
                console.no_color = True
            console.printer = self  # type: ignore[attr-defined]
            console.quiet = self.closed
            self._consoles[err] = console
        return console

    # -- the status line (stderr) ---------------------------------------------------------------

    def status(self, message: str | None) -> None:
        """A line on stderr that updates in place on a terminal (one line per call otherwise);
        ``None`` ends it. Other output printed meanwhile goes above it. On a terminal it is cut
        to fit: a line that wrapped could not be redrawn in place."""
        width = self.width(err=True)
        if width is None:
            if message is not None:
                self._write(True, scrub(message) + "\n")
            return
        if message is None and self._status is None:
            return
        line = None if message is None else scrub(message)
        if line is not None and len(line) > width - 1:
            line = line[: max(0, width - 2)] + "…"
        self._status = line
        self._write(True, "\r\x1b[2K" + (line or ""))

    def width(self, *, err: bool = False) -> int | None:
        """How wide the terminal on stdout (or stderr) is; ``None`` when it is not one."""
        if not self._stream(err).isatty():
            return None
        return int(self._console(err).width)

    def stderr_is_terminal(self) -> bool:
        return self._stream(True).isatty()

    def _lift_status(self) -> None:
        if self._status is not None:
            self._write(True, "\r\x1b[2K")

    def _restore_status(self) -> None:
        if self._status is not None:
            self._write(True, self._status)

    # -- data (stdout) -------------------------------------------------------------------------

    def json(self, value: Any, *, reveal: bool = False) -> None:
        """One JSON document on stdout (secrets redacted unless ``reveal``)."""
        text = json.dumps(value, indent=2, ensure_ascii=False)
        self._write(False, (text if reveal else scrub(text)) + "\n")

    def json_line(self, value: Any, *, reveal: bool = False, flush: bool = True) -> None:
        """One JSON object on one line of stdout (streams); secrets redacted unless ``reveal``.
        ``flush=False`` leaves the flush to a later :meth:`flush` (busy streams)."""
        text = json.dumps(value, ensure_ascii=False)
        self._lift_status()
        self._write(False, (text if reveal else scrub(text)) + "\n", flush=flush)
        self._restore_status()

    def flush(self) -> None:
        self._write(False, "")

    def table(
        self,
        rows: Iterable[Mapping[str, Any]],
        columns: Sequence[tuple[str, str]],
        *,
        empty: str = "Nothing to show.",
        wide: bool = False,
    ) -> int:
        """Rows as a table on stdout; ``columns`` are ``(header, field)``. Returns the count.

        Identifiers are never cut (:mod:`cstar_cli.cli.columns`): free text is shortened first, and
        when even that does not fit the terminal the rows are shown as records. ``wide`` shows
        every cell whole, however wide the table gets."""
        from rich import box
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        from cstar_cli.cli.columns import GAP, widths

        items = list(rows)
        if not items:
            self.info(empty)
            return 0
        headers = [header for header, _ in columns]
        fields = [field for _, field in columns]
        texts = [[scrub(table_cell(f, item.get(f))) for f in fields] for item in items]
        console = self._console(False)
        plan = widths(headers, fields, texts, None if wide else console.width, cell_len)
        if plan is None:
            for number, row in enumerate(texts):
                if number:
                    console.print()
                console.print(self._grid(zip(headers, row, strict=True)))
            return len(items)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for header, width in zip(headers, plan, strict=True):
            table.add_column(header, width=width, no_wrap=True, overflow="ellipsis")
        for row in texts:
            table.add_row(*(Text(text) for text in row))
        screen = console.width
        console.width = max(screen, sum(plan) + GAP * (len(plan) - 1))  # --wide: the terminal wraps
        try:
            console.print(table, crop=False)
        finally:
            console.width = screen
        return len(items)

    def _grid(self, pairs: Iterable[tuple[str, str]]) -> Any:
        """Aligned ``label  value`` lines (values wrap), for details and records."""
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column(overflow="fold")
        for label, value in pairs:
            grid.add_row(Text(label), Text(value))
        return grid

    def detail(
        self,
        item: Mapping[str, Any],
        *,
        fields: Sequence[str] | None = None,
        title: str | None = None,
    ) -> None:
        """One object as aligned ``field  value`` lines on stdout."""
        from rich.text import Text

        keys = [k for k in (fields or list(item)) if k in item]
        console = self._console(False)
        if title:
            console.print(Text(scrub(title), style="bold"))
        console.print(self._grid((key, scrub(cell(item.get(key)))) for key in keys))

    def styled_line(self, message: str, style: str | None) -> None:
        """One line of data on stdout, coloured with ``style`` on a terminal that wants colour."""
        self.styled_parts([(message, style)])

    def styled_parts(
        self, parts: Sequence[tuple[str, str | None]], *, reveal: bool = False, flush: bool = True
    ) -> None:
        """One line of data on stdout from ``(text, style)`` parts; styles only where colour is
        wanted (a terminal, or ``--color always``)."""
        self._lift_status()
        if self.color == "never" or not (self.color == "always" or self._stream(False).isatty()):
            line = "".join(text for text, _ in parts)
            self._write(False, (line if reveal else scrub(line)) + "\n", flush=flush)
        else:
            from rich.text import Text

            line_text = Text()
            for text, style in parts:
                line_text.append(text if reveal else scrub(text), style=style)
            self._console(False).print(line_text, soft_wrap=True)  # the terminal wraps it
        self._restore_status()

    def text(self, message: str, *, reveal: bool = False, flush: bool = True) -> None:
        """Plain text on stdout (data, not chatter)."""
        self._lift_status()
        self._write(False, (message if reveal else scrub(message)) + "\n", flush=flush)
        self._restore_status()

    # -- people (stderr) -----------------------------------------------------------------------

    def _say(self, message: str, style: str | None = None, prefix: str = "") -> None:
        from rich.text import Text

        text = Text()
        if prefix:
            text.append(prefix, style=style)
        text.append(scrub(message))
        self._lift_status()
        self._console(True).print(text)
        self._restore_status()

    def info(self, message: str) -> None:
        self._say(message)

    def success(self, message: str) -> None:
        self._say(message, "green", "✓ ")

    def warn(self, message: str) -> None:
        self._say(message, "yellow", "Warning: ")

    def verbose(self, message: str) -> None:
        if self.verbose_enabled:
            self._say(message, "dim")

    def error(self, report: ErrorReport, *, as_json: bool = False) -> None:
        """The error on stderr: a JSON object with ``--json``, else message, hint, request id.
        It ends the command: a status line is cleared first and not drawn again."""
        self.status(None)
        if as_json:
            self._write(True, scrub(json.dumps(report.as_json())) + "\n")
            return
        lines = [report.message]
        if report.param:
            lines[0] += f" (parameter: {report.param})"
        if report.request_id:
            lines.append(f"Request id: {report.request_id}")
        if report.hint:
            lines.append(report.hint)
        self._say("\n".join(lines), "red", "Error: ")
