"""`cstar listen` as a person sees it on a terminal: colours, the held line, Ctrl-C."""

from __future__ import annotations

import re
import sys

from tests.support.receivers import Received, Receiver
from tests.support.relay import Target, fire
from tests.support.terminal import Terminal
from tests.support.waiting import free_port


def test_held_line_updates_in_place_status_codes_are_coloured_and_ctrl_c_stops(
    target: Target,
) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "cstar_cli", "listen", "-f", f"127.0.0.1:{port}/hooks"]
    argv += ["--api-base", target.api_base, "--api-key", target.key, "--device-name", "tty"]
    terminal = Terminal(argv, columns=80)
    try:
        terminal.wait_for(r"Ready!")
        fire(target, 1, workers=1)
        terminal.wait_for(r"holding 1 event in order")
        fire(target, 1, workers=1)
        terminal.wait_for(r"holding 2 events in order")
        assert "\r\x1b[2K" in terminal.raw  # one line, rewritten in place

        def first_refused(request: Received) -> int:
            return 503 if request.headers["x-delivery-attempt"] == "1" else 200

        with Receiver(respond=first_refused).start_on(port):
            terminal.wait_for(r"answered again; delivering 2 held events")
            terminal.wait_for(r"(?s)<-- \[200\].*<-- \[200\]")
        assert re.search(r"\x1b\[31m\[503\]", terminal.raw)  # 5xx in red
        assert re.search(r"\x1b\[32m\[200\]", terminal.raw)  # 2xx in green
        assert "1/4, retry in 0.5 s" in terminal.text  # shortened to fit 80 columns
        terminal.type("\x03")  # Ctrl-C, delivered by the terminal
        terminal.wait_for(r"Stopping\.")
        assert terminal.wait() == 130
        assert "Traceback" not in terminal.text
    finally:
        terminal.close()
