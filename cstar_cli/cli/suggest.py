"""Suggestions for what a person probably meant: close matches, habits from other CLIs, and
the event types a shell completes.

Standard library only and cheap to import: the root group asks it about every unknown command
before anything heavy is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Words people bring from Stripe's (and similar) CLIs, with where the same thing lives here.
HABITS: dict[tuple[str, ...], str] = {
    ("logs", "tail"): "cstar logs --tail",
    ("webhooks", "listen"): "cstar listen",
    ("events", "tail"): "cstar events --tail",
    ("events", "listen"): "cstar listen",
    ("fixtures",): "cstar trigger EVENT --fixture",
    ("version",): "cstar --version",
    ("help",): "cstar --help",
    ("whoami",): "cstar status",
    ("keys", "rotate"): "cstar keys roll KEY_ID",
    ("clock", "advance-by"): "cstar clock advance DURATION",
}


def close_matches(word: str, candidates: Iterable[str], *, n: int = 3) -> list[str]:
    """The candidates closest to ``word``, best first (may be empty)."""
    import difflib

    pool = list(dict.fromkeys(candidates))
    found = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if not found:
        lowered = word.lower()
        found = [c for c in pool if lowered and c.startswith(lowered)][:n]
    return found


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'tickets'?`` (with a leading space), or ``""`` when nothing is close."""
    found = close_matches(word, candidates)
    if not found:
        return ""
    return " Did you mean " + " or ".join(repr(f) for f in found) + "?"


def clock_backwards(duration: str) -> str:
    """What ``cstar clock advance -5m`` is told: the test clock moves one way."""
    return (
        f"The test clock only moves forward ({duration!r} would move it back). "
        "`cstar clock reset` sets it back to real time."
    )


def habit(words: Sequence[str]) -> tuple[str, str] | None:
    """``(what was typed, the cstar way)`` when ``words`` start with a known habit."""
    for length in (2, 1):
        key = tuple(words[:length])
        if len(key) == length and key in HABITS:
            return "cstar " + " ".join(key), HABITS[key]
    return None


def complete_event_types(incomplete: str) -> list[tuple[str, str]]:
    """Shell completions for an event type, a ``resource.*`` pattern, or the last item of a
    comma-separated list of them (``ticket.created,tic``), each with its description."""
    from cstar_cli.wire import catalog

    head, comma, last = incomplete.rpartition(",")
    prefix = head + comma
    options: list[tuple[str, str]] = [
        (name, catalog.DESCRIPTIONS[name]) for name in catalog.EVENT_TYPES
    ]
    options += [(f"{r}.*", f"Every {r}.… event.") for r in catalog.RESOURCES]
    return [(prefix + name, text) for name, text in options if name.startswith(last)]
