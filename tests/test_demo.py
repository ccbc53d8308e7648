"""`cstar demo`, README's first command, as a new user runs it."""

from __future__ import annotations

from pathlib import Path

from tests.support.processes import run_cstar


def test_demo_shows_every_event_arrive_verified_and_touches_nothing(isolate: Path) -> None:
    result = run_cstar("demo", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    events = (
        "customer.created",
        "ticket.created",
        "boss.spawned",
        "ticket.closed",
        "boss.defeated",
    )
    for event in events:
        assert f"✓ receiver: {event} signature verified" in result.stdout
    assert "5 event(s) arrived verified" in result.stdout
    assert "✗" not in result.stdout
    assert "Traceback" not in result.stderr
    assert list(isolate.iterdir()) == [], "the demo must not write config or credentials"
