"""Running a fixture: each step's request in turn, ``${step.field}`` references filled in from
earlier answers, and the events it caused collected at the end."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cstar_cli.trigger.errors import FixtureStepError

if TYPE_CHECKING:
    from cstar_cli.client.clients import CstarClient

from cstar_cli.trigger.fixtures import live_error
from cstar_cli.trigger.steps import REFERENCE, RUN_STEP, Fixture, Step
from cstar_cli.wire.camel import camel_json

__all__ = ["FixtureRun", "StepResult", "run_fixture"]


def _lookup(ref: str, results: Mapping[str, Any], step: str) -> Any:
    head, *rest = ref.split(".")
    value: Any = results[head]
    for part in rest:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise FixtureStepError(
                f"Step {step!r} needs ${{{ref}}}, but step {head!r} returned no such value.",
                "Check the earlier steps' results with --json; for ticket.assigned the team "
                "needs at least one member (`cstar members list`).",
            )
    return value


def render(value: Any, results: Mapping[str, Any], step: str) -> Any:
    """Substitute ``${…}`` references in strings, recursively; a whole-string one keeps its type."""
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            return _lookup(whole.group(1), results, step)
        return REFERENCE.sub(lambda m: str(_lookup(m.group(1), results, step)), value)
    if isinstance(value, Mapping):
        return {k: render(v, results, step) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render(v, results, step) for v in value]
    return value


# -- running -------------------------------------------------------------------------------------


@dataclass
class StepResult:
    """What one step sent and got back."""

    name: str
    method: str
    path: str
    status: int
    request_id: str | None
    data: Any

    @property
    def object_id(self) -> str | None:
        if isinstance(self.data, Mapping) and isinstance(self.data.get("id"), str):
            return str(self.data["id"])
        return None

    def as_json(self) -> dict[str, Any]:
        return camel_json(self, rename={"name": "step", "data": "result"})


@dataclass
class FixtureRun:
    """A finished fixture: its steps' results and the events they produced, oldest first."""

    event: str
    since: str
    steps: list[StepResult] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def produced_target(self) -> bool:
        return any(e.get("type") == self.event for e in self.events)

    def as_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "fixture": True,
            "since": self.since,
            "steps": [s.as_json() for s in self.steps],
            "events": self.events,
        }


def _shift(timestamp: str, seconds: float) -> str:
    from datetime import datetime

    from cstar_cli.wire.times import iso as iso_time

    value = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return iso_time(value.timestamp() + seconds)


def run_fixture(
    client: CstarClient,
    fixture: Fixture,
    *,
    on_step: Callable[[StepResult], None] | None = None,
    run_id: str | None = None,
) -> FixtureRun:
    """Run the steps in order (test mode only), then look up the events they produced.

    The platform's own clock (``whoami``'s response time) marks the start, so the lookup works
    against a remote API or a test clock; events are matched to this run by the ids of the
    objects its steps created or changed, so other activity on the team is left out.
    """
    from cstar_cli.wire.times import iso as iso_time

    who = client.whoami()
    if who.get("environment") != "test":
        raise live_error(f"{who.get('environment', 'unknown')} mode")
    stamp = client.last_meta.get("timestamp")
    if not isinstance(stamp, str):
        import time

        stamp = iso_time(time.time())
    run = FixtureRun(fixture.event, _shift(stamp, -1.0))
    results: dict[str, Any] = {RUN_STEP: {"id": run_id or secrets.token_hex(4)}}
    for step in fixture.steps:
        path = str(render(step.path, results, step.name))
        body = render(step.body, results, step.name) if step.body is not None else None
        params = render(step.params, results, step.name) if step.params is not None else None
        parts = [p for p in path.split("/") if p]
        try:
            response = client.request(
                step.method, client.team_path(*parts), params=params, json=body
            )
        except Exception as err:
            _annotate(err, step, path, run)
            raise
        result = StepResult(
            step.name, step.method, path, response.status, response.request_id, response.data
        )
        results[step.name] = response.data
        run.steps.append(result)
        if on_step is not None:
            on_step(result)
    ids = {i for s in run.steps if s.method != "GET" for i in _identities(s.data)}
    events = client.events.iter_all({"since": run.since})
    run.events = [e for e in events if _related(e, ids)][::-1]
    return run


OWN_IDS = ("id", "teamId", "memberId")
"""Fields of a step's answer that name what the step made or changed (preferences name their
team or member)."""
MENTIONS = ("id", "member_id", "ticket_id", "ticket_ids")
"""Fields of an event's data, at any depth, that name an object the event is about."""


def _identities(data: Any) -> set[str]:
    if not isinstance(data, Mapping):
        return set()
    return {v for k in OWN_IDS if isinstance(v := data.get(k), str)}


def _mentioned(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in MENTIONS and isinstance(item, str):
                found.add(item)
            elif key in MENTIONS and isinstance(item, list):
                found.update(i for i in item if isinstance(i, str))
            else:
                found |= _mentioned(item)
    elif isinstance(value, list):
        for item in value:
            found |= _mentioned(item)
    return found


def _related(event: Mapping[str, Any], ids: set[str]) -> bool:
    """Whether the event is about something the run made or changed: the ticket, customer or
    member it names (a player's member, a boss's tickets, a high-five's sender)."""
    data = event.get("data")
    if not isinstance(data, Mapping):
        return False
    return bool(_mentioned(data) & ids)


def _annotate(err: Exception, step: Step, path: str, run: FixtureRun) -> None:
    from cstar_cli.client.errors import CstarAPIError

    if not isinstance(err, CstarAPIError):
        return
    done = ", ".join(s.name for s in run.steps)
    where = f"Fixture step {step.name!r} ({step.method} {path}) failed"
    where += f" after {done} ran." if done else "."
    err.hint = f"{where} {err.hint}" if err.hint else where
