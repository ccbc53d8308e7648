"""``cstar dev`` hands out the inspector (D31): the ready line's ``inspectorUrl`` and its
``Inspector`` line, each a one-time link that opens the inspector."""

from __future__ import annotations

import re

import httpx

from tests.support.processes import cstar_dev, cstar_dev_for_a_person


def test_the_json_ready_line_has_a_working_inspector_link() -> None:
    with cstar_dev("--db", ":memory:") as (_, ready):
        link = ready["inspectorUrl"]
        assert link.startswith(f"{ready['apiBase']}/?token=")
        with httpx.Client(timeout=10) as browser:
            page = browser.get(link, follow_redirects=True)
            assert page.status_code == 200 and "Local Dev Team" in page.text
            assert browser.get(link).status_code == 303  # used: just back to the page


def test_the_plain_ready_output_prints_the_inspector_link() -> None:
    printed = cstar_dev_for_a_person().stdout
    assert re.search(r"^Inspector  http://\S+/\?token=\S+$", printed, re.MULTILINE), printed
