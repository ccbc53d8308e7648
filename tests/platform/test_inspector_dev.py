"""``cstar dev`` hands out the inspector (D31): the ready line's ``inspectorUrl`` and its
``Inspector`` line, each a one-time link that opens the inspector."""

from __future__ import annotations

import re

from tests.support.inspector import inspector_client, trade
from tests.support.processes import cstar_dev, cstar_dev_for_a_person


def test_the_json_ready_line_has_a_working_inspector_link() -> None:
    with cstar_dev("--db", ":memory:") as (_, ready):
        link = ready["inspectorUrl"]
        assert link.startswith(f"{ready['apiBase']}/?token=")
        with inspector_client(link) as page:  # what the page does with its link (D48)
            view = page.get("/inspector/view/")
            assert view.status_code == 200 and "Local Dev Team" in view.text
        assert trade(link).status_code == 401  # links work once


def test_the_plain_ready_output_prints_the_inspector_link() -> None:
    printed = cstar_dev_for_a_person().stdout
    assert re.search(r"^Inspector  http://\S+/\?token=\S+$", printed, re.MULTILINE), printed
