"""Fixtures for ``cstar trigger EVENT --fixture``: real API calls, in test mode, that make an event
happen.

Each fixture is a short list of :class:`Step` s (name, method, path, body). Paths are relative to
the team (``/tickets/${ticket.id}``); strings may reference what an earlier step returned with
``${step.field}`` (``${member.0.id}`` indexes a list) and ``${run.id}``, a short random id that
keeps emails unique. A string that is exactly one reference keeps the value's type.

``--override ticket.priority=urgent`` sets a body field of the named step (dotted paths for
nested fields; ``step.field:=<json>`` for numbers, booleans, lists and objects); see
:func:`apply_overrides`. :func:`run_fixture` runs the steps and finds the events they produced.
Nothing here imports typer or rich.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

from cstar_cli.trigger import edits
from cstar_cli.trigger.errors import FixtureError
from cstar_cli.trigger.fixtures_community import COMMUNITY_FIXTURES
from cstar_cli.trigger.fixtures_game import GAME_FIXTURES
from cstar_cli.trigger.fixtures_groups import GROUP_FIXTURES
from cstar_cli.trigger.steps import (
    ARTICLE,
    ARTICLE_PATH,
    CUSTOMER,
    CUSTOMER_PATH,
    REFERENCE,
    RUN_STEP,
    TICKET,
    TICKET_PATH,
    Fixture,
    Step,
)

__all__ = [
    "FIXTURES",
    "Fixture",
    "Step",
    "apply_overrides",
    "check_test_key",
    "fixture_for",
]


def _fixtures(*items: Fixture) -> dict[str, Fixture]:
    return {f.event: f for f in items}


_CORE: Final = _fixtures(
    Fixture("ticket.created", (CUSTOMER, TICKET)),
    Fixture(
        "ticket.updated",
        (
            CUSTOMER,
            TICKET,
            Step("update", "PATCH", TICKET_PATH, {"status": "open", "priority": "urgent"}),
        ),
    ),
    Fixture(
        "ticket.closed",
        (CUSTOMER, TICKET, Step("close", "PATCH", TICKET_PATH, {"status": "closed"})),
    ),
    Fixture(
        "ticket.message_added",
        (
            CUSTOMER,
            TICKET,
            Step(
                "message",
                "POST",
                TICKET_PATH + "/messages",
                {
                    "content": "I tried a second card and it failed too. Order #48213.",
                    "sender": "customer",
                    "senderName": "Jane Doe",
                },
            ),
        ),
    ),
    Fixture(
        "ticket.deleted",
        (CUSTOMER, TICKET, Step("delete", "DELETE", TICKET_PATH)),
    ),
    Fixture(
        "ticket.assigned",
        (
            Step("member", "GET", "/members", params={"pageSize": 1}),
            CUSTOMER,
            TICKET,
            Step("assign", "PATCH", TICKET_PATH, {"assignedTo": "${member.0.id}"}),
        ),
    ),
    Fixture("customer.created", (CUSTOMER,)),
    Fixture(
        "customer.updated",
        (
            CUSTOMER,
            Step("update", "PATCH", CUSTOMER_PATH, {"sentiment": "happy", "notes": "Upgraded."}),
        ),
    ),
    Fixture("customer.deleted", (CUSTOMER, Step("delete", "DELETE", CUSTOMER_PATH))),
    Fixture("article.created", (ARTICLE,)),
    Fixture(
        "article.published",
        (
            ARTICLE,
            Step("publish", "PATCH", ARTICLE_PATH, {"status": "published", "isPublic": True}),
        ),
    ),
    Fixture(
        "article.updated",
        (
            ARTICLE,
            Step(
                "update",
                "PATCH",
                ARTICLE_PATH,
                {"content": "Open **Settings → Security**, choose *Reset password*, done."},
            ),
        ),
    ),
    Fixture("article.deleted", (ARTICLE, Step("delete", "DELETE", ARTICLE_PATH))),
)

FIXTURES: Final[dict[str, Fixture]] = {
    **_CORE,
    **COMMUNITY_FIXTURES,
    **GAME_FIXTURES,
    **GROUP_FIXTURES,
}
"""Event type -> its fixture; each family beyond tickets, customers and articles has its own
``fixtures_<family>.py`` module."""


def fixture_for(event: str) -> Fixture:
    """The fixture for ``event``; a usage error naming the ones that exist otherwise."""
    try:
        return FIXTURES[event]
    except KeyError:
        raise FixtureError(
            f"There is no fixture for {event}.",
            f"Fixtures exist for: {', '.join(FIXTURES)}. Without --fixture, "
            f"`cstar trigger {event}` sends a synthetic {event} event instead.",
            code="no_fixture",
        ) from None


# -- test mode only ------------------------------------------------------------------------------


def live_error(shown: str) -> FixtureError:
    return FixtureError(
        f"Fixtures make real changes, so they run in test mode only; this is a live key ({shown}).",
        "Use a test key (--api-key sk_test_…, or --profile with a test-mode profile). Without "
        "--fixture, `cstar trigger EVENT` sends a synthetic event and changes nothing.",
        code="live_mode_refused",
    )


def check_test_key(api_key: str) -> None:
    """Refuse a live key before any request (exit 2, ``live_mode_refused``)."""
    from cstar_cli.wire.keys import redact

    if api_key.startswith(("sk_live_", "pk_live_")):
        raise live_error(redact(api_key))


# -- overrides -------------------------------------------------------------------------------------


def _bad_override(raw: str, reason: str, fixture: Fixture) -> FixtureError:
    steps = ", ".join(s.name for s in fixture.steps if s.body is not None)
    return FixtureError(
        f"Invalid --override {raw!r}: {reason}" + ("" if reason.endswith((".", "?")) else "."),
        f"Use step.field=value (step.field:=<json> for numbers, booleans, lists); the "
        f"{fixture.event} fixture's steps with a body: {steps}. "
        f"Example: --override {_example(fixture)}",
        code="invalid_override",
    )


def _example(fixture: Fixture) -> str:
    for step in fixture.steps:
        if step.body:
            key = next(iter(step.body))
            return f"{step.name}.{key}=…"
    return "step.field=value"


def _parse_override(raw: str, fixture: Fixture) -> tuple[str, list[str], Any]:
    try:
        parts, value = edits.parse(raw)
    except edits.EditError as err:
        reason = "expected step.field=value" if err.shape else err.reason
        raise _bad_override(raw, reason, fixture) from None
    if len(parts) < 2:
        raise _bad_override(raw, "expected step.field=value, e.g. ticket.priority=urgent", fixture)
    return parts[0], parts[1:], value


FieldCheck = Callable[[str, str, list[str], Any], str | None]
"""Why ``step.field=value`` can't be sent to ``method path`` (``None`` when it can)."""


def apply_overrides(
    fixture: Fixture, overrides: Sequence[str], check: FieldCheck | None = None
) -> Fixture:
    """A copy of ``fixture`` with each ``step.field[.sub]=value`` set in that step's body; a
    field or value the step's endpoint does not take (as ``check`` says) is refused here,
    before any request."""
    steps = {s.name: s for s in fixture.steps}
    bodies: dict[str, dict[str, Any]] = {}
    for raw in overrides:
        name, path, value = _parse_override(raw, fixture)
        step = steps.get(name)
        if step is None:
            raise _bad_override(raw, f"the {fixture.event} fixture has no step {name!r}", fixture)
        if step.body is None:
            raise _bad_override(
                raw, f"step {name!r} ({step.method} {step.path}) sends no body", fixture
            )
        problem = None if check is None else check(step.method, step.path, path, value)
        if problem is not None:
            raise _bad_override(raw, problem, fixture)
        body = bodies.setdefault(name, copy.deepcopy(dict(step.body)))
        target = body
        for part in path[:-1]:
            nested = target.setdefault(part, {})
            if not isinstance(nested, dict):
                raise _bad_override(raw, f"{part} is not an object in step {name!r}", fixture)
            target = nested
        target[path[-1]] = value
    new_steps = tuple(
        replace(s, body=bodies[s.name]) if s.name in bodies else s for s in fixture.steps
    )
    prepared = replace(fixture, steps=new_steps)
    _check_references(prepared)
    return prepared


def _check_references(fixture: Fixture) -> None:
    """Every ``${step.…}`` names ``run`` or an earlier step (checked before anything runs)."""
    seen = {RUN_STEP}
    for step in fixture.steps:
        for text in _strings([step.path, step.body, step.params]):
            for ref in REFERENCE.findall(text):
                head = ref.split(".", 1)[0]
                if head not in seen:
                    raise FixtureError(
                        f"Step {step.name!r} of the {fixture.event} fixture refers to ${{{ref}}}, "
                        f"but {head!r} is not an earlier step.",
                        f"References can name run (${{run.id}}) or an earlier step: "
                        f"{', '.join(sorted(seen - {RUN_STEP})) or 'none yet'}.",
                        code="invalid_override",
                    )
        seen.add(step.name)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


# -- rendering templates ---------------------------------------------------------------------------
