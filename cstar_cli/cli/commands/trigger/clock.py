"""``cstar trigger EVENT --fixture`` for a fixture that moves the team clock (D47).

Bosses and streaks need time to pass, so their fixtures advance the team's test clock; that moves
every ticket's SLA along with it. Such a fixture says so before it runs and refuses an
environment that already holds tickets unless given ``--yes`` (exit 2, ``clock_fixture_refused``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.trigger.steps import Fixture


def duration(seconds: float) -> str:
    """``12 minutes``, ``2 days``: how far a fixture moves the clock."""
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds:g} seconds"


def clock_note(fixture: Fixture) -> str:
    """What ``--list`` and the run say about a fixture that moves the clock ('' for none)."""
    if not fixture.clock:
        return ""
    return f"moves the team clock {duration(fixture.clock)} forward"


def check_clock(app: AppContext, fixture: Fixture, *, yes: bool, json_output: bool) -> None:
    """Say that the fixture moves the clock; refuse when tickets are there and ``yes`` is off."""
    from cstar_cli.cli.errors import UsageError

    if not fixture.clock:
        return
    if not json_output:
        app.printer.info(
            f"The {fixture.event} fixture {clock_note(fixture)} (test clock, D21): every "
            "ticket's SLA moves with it."
        )
    if yes:
        return
    page = app.client().tickets.list({"pageSize": 1})
    held = page.pagination.total if page.pagination else len(page.data)
    if held:
        raise UsageError(
            f"The {fixture.event} fixture {clock_note(fixture)}, and this environment already "
            f"holds {held} ticket{'s' if held != 1 else ''}: their SLAs would move too (bosses "
            "may spawn or escape, streaks break).",
            "Run it on an empty environment (`cstar dev reset`), or add --yes to go ahead.",
            code="clock_fixture_refused",
        )
