"""``cstar dev`` hands out the inspector (D31): the ready line's ``inspectorUrl`` and its
``Inspector`` line, each a one-time link that opens the inspector."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx

from tests.server.test_dev_command import cstar_dev


def test_the_json_ready_line_has_a_working_inspector_link() -> None:
    with cstar_dev("--db", ":memory:") as (_, ready):
        link = ready["inspectorUrl"]
        assert link.startswith(f"{ready['apiBase']}/?token=")
        with httpx.Client(timeout=10) as browser:
            page = browser.get(link, follow_redirects=True)
            assert page.status_code == 200 and "Local Dev Team" in page.text
            assert browser.get(link).status_code == 303  # used: just back to the page


def test_the_plain_ready_output_prints_the_inspector_link() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cstar_cli", "dev", "--port", "0", "--db", ":memory:"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(12)]
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=10)
    found = [re.match(r"^Inspector  (http://\S+/\?token=\S+)$", line) for line in lines]
    assert any(found), "".join(lines)
