"""The one hook every write goes through to be audited (D42).

A write's unit of work (:class:`~cstar_cli.platform.work.Work`) knows who is writing — its
:class:`Actor`, set by the gateway from the key, the verified identity (D18) and the User-Agent
(the sources of the request log, D17, with the inspector told apart) — and :meth:`Work.audit
<cstar_cli.platform.work.Work.audit>` appends one entry with one INSERT inside the write's own
transaction, so the entry and the write commit together or not at all.

Services never call it by hand for evented writes: :meth:`Service.emit
<cstar_cli.platform.resources.service.Service.emit>` audits the event it records (action = the
event type; details = the changed fields' new values, or the new object). Writes without an
event call :meth:`Service.audit <cstar_cli.platform.resources.service.Service.audit>` (or
:func:`audit`, outside a service) once. One request audits a resource once: the first event about
it (``ticket.updated``) stands for its followers (``ticket.closed``, ``ticket.assigned``).

Details never hold a secret: fields named like one are left out and any value that looks like a
key or signing secret (``sk_…``, ``pk_…``, ``whsec_…``) is dropped (:func:`scrub`).
"""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cstar_cli.wire import ids
from cstar_cli.wire.keys import SECRET_PATTERN
from cstar_cli.wire.protocol import CLI_AGENT, INSPECTOR_USER_AGENT, MCP_AGENT
from cstar_cli.wire.times import iso

if TYPE_CHECKING:
    from cstar_cli.platform.http.auth import Principal
    from cstar_cli.platform.http.identity import Identity
    from cstar_cli.platform.resources.service import Caller
    from cstar_cli.platform.store.db import Database

RETENTION_SECONDS = 90 * 24 * 3600
"""Entries are kept 90 days of their team's time (D42)."""
SECRET_WORDS = ("secret", "token", "password", "hash")
SECRET_FIELDS = frozenset({"key", "apikey", "identity", "identityhash"})
IGNORED = frozenset({"id", "object", "created_at", "updated_at", "createdAt", "updatedAt"})


@dataclass(frozen=True)
class Actor:
    """Who made a write: ``type`` (api_key, member, customer, system), their id and name, and
    where from (``source``: api, cli, inspector, mcp)."""

    type: str
    name: str
    id: str | None = None
    source: str = "api"


SYSTEM = Actor("system", "system")
"""The platform itself: the game timer, a clock catching up, a load at start."""


def source_of(user_agent: str) -> str:
    """``cli``, ``mcp``, ``inspector`` or ``api`` from the User-Agent (as the request log tells
    them apart, D17; the inspector's buttons send their own agent)."""
    agent = user_agent.lower()
    if agent == INSPECTOR_USER_AGENT.lower():
        return "inspector"
    if agent.startswith(CLI_AGENT + "/"):
        return "cli"
    if agent.startswith(MCP_AGENT + "/"):
        return "mcp"
    return "api"


def actor_of(principal: Principal, identity: Identity | None, user_agent: str) -> Actor:
    """The actor of a request: the verified customer a publishable key acts for, else the key."""
    source = source_of(user_agent)
    if identity is not None and not principal.is_secret:
        return Actor("customer", identity.email, ids.CUSTOMER + identity.customer_id, source)
    return Actor("api_key", principal.key_name or principal.redacted_key, principal.key_id, source)


def scrub(value: Any) -> Any:
    """``value`` without secrets: secret-named fields left out, secret-looking text dropped."""
    if isinstance(value, dict):
        return {
            key: scrub(item)
            for key, item in value.items()
            if not _secret_name(str(key)) and not _secret_text(item)
        }
    if isinstance(value, list):
        return [scrub(item) for item in value if not _secret_text(item)]
    return value


@functools.lru_cache(maxsize=4096)
def _secret_name(name: str) -> bool:
    lowered = name.lower().replace("_", "")
    return lowered in SECRET_FIELDS or any(word in lowered for word in SECRET_WORDS)


def _secret_text(value: Any) -> bool:
    return isinstance(value, str) and SECRET_PATTERN.search(value) is not None


def event_entry(event_type: str, data: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    """``(resourceType, resourceId, details)`` of an evented write: the changed fields' new
    values (``changes``), else the new object's fields."""
    resource_type = event_type.split(".")[0]
    obj = data.get(resource_type) or data.get(resource_type.rsplit("_", 1)[-1])  # post, group
    resource_id = obj.get("id") if isinstance(obj, dict) else None
    changes = data.get("changes")
    if isinstance(changes, dict):
        details = {
            name: change.get("to") if isinstance(change, dict) else change
            for name, change in changes.items()
        }
    elif event_type.endswith(".deleted") or not isinstance(obj, dict):
        details = {}
    else:
        details = {k: v for k, v in obj.items() if k not in IGNORED}
    return resource_type, resource_id, details


def insert(
    db: Database,
    principal: Principal,
    actor: Actor,
    entry: tuple[str, str, str | None, dict[str, Any]],
    now: float,
) -> None:
    """Append one entry ``(action, resourceType, resourceId, details)``: the one INSERT."""
    action, resource_type, resource_id, details = entry
    db.execute(
        "INSERT INTO audit_log (id, team_id, livemode, action, resource_type, resource_id, "
        "actor_type, actor_id, actor_name, source, details, created_at, created_ts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uuid.uuid4().hex,
            principal.team_id,
            int(principal.livemode),
            action,
            resource_type,
            resource_id,
            actor.type,
            actor.id,
            actor.name,
            actor.source,
            json.dumps(scrub(details), separators=(",", ":"), ensure_ascii=False),
            iso(now),
            now,
        ),
    )


def audit(
    caller: Caller,
    action: str,
    resource_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Audit one write without an event (outside a :class:`Service`): ``action`` is
    ``resource.verb`` (``key.revoked``, ``test_clock.advanced``)."""
    principal = caller.principal
    now = caller.platform.now(principal.team_id, principal.livemode)
    caller.work.audit(principal, action, resource_id, details or {}, now)
