"""The audit log's entry (D42, facts §3.12)."""

from __future__ import annotations

from typing import Any, Literal

from cstar_cli.platform.resources.models import Output
from cstar_cli.wire.enums import AuditActor, AuditSource


class AuditEntry(Output):
    id: str
    object: Literal["audit_entry"]
    action: str
    """``resource.verb``: an event type (``ticket.updated``) or, for a write without an event,
    ``key.revoked``, ``webhook.created``, ``test_clock.advanced``…"""
    resourceType: str
    resourceId: str | None
    actorType: AuditActor
    actorId: str | None
    """The key (``key_…``) or the verified customer (``cus_…``); none for the system."""
    actorName: str
    """The key's name, the customer's email, or ``system``."""
    source: AuditSource
    details: dict[str, Any]
    """The changed fields' new values (or the new object's fields); never a secret."""
    createdAt: str
