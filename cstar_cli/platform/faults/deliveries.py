"""Delivery faults (D38), as the dispatcher applies them to webhooks.

At fan-out, a first attempt that matches a fault is recorded marked with it (``fault``) and with
what it does (``fault_spec``):

- ``delayMs``: due that much later (the dispatcher's own timer sends it);
- ``signWith``: signed with a made-up secret (``wrong-secret``) or with the webhook's secret
  before its last rotation (``old-secret``, kept sealed, D27);
- ``duplicate``: once the attempt is recorded, the same event goes again at once as the next
  attempt (its number counting on) — and that one, if it fails, retries as usual;
- ``reorder: n``: held back until n are waiting for the same webhook, then sent one after another
  in an order that is never the original; a window not full after 2 s goes as it stands.

Retries, resends and test sends never match (they do not pass through the fan-out), and only
the first attempt and a duplicate carry the mark.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
from typing import TYPE_CHECKING, Any

from cstar_cli.platform import ids
from cstar_cli.platform.faults.store import FaultStore
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.wire.faults import REORDER_FLUSH_SECONDS

if TYPE_CHECKING:
    from cstar_cli.platform.delivery.dispatcher import Dispatcher

HELD = float("inf")
"""The due time of an attempt a reorder window holds back (sent by the window, not the queue)."""
WindowKey = tuple[str, str]
"""A fault and a webhook (stored ids)."""


def shuffled(items: list[str], rng: random.Random | None = None) -> list[str]:
    """``items`` in an order that is never the original (as given, for fewer than two)."""
    order = list(items)
    if len(set(items)) < 2:
        return order
    while order == items:
        (rng or random).shuffle(order)
    return order


class DeliveryFaults:
    """The dispatcher's side of delivery faults: marking first attempts, the secret an attempt
    is signed with, duplicates after an attempt, and the reorder windows."""

    def __init__(self, dispatcher: Dispatcher, store: FaultStore, vault: SecretBox) -> None:
        self.dispatcher = dispatcher
        self.store = store
        self.vault = vault
        self._windows: dict[WindowKey, list[str]] = {}
        self._timers: dict[WindowKey, asyncio.TimerHandle] = {}
        self._sending: set[asyncio.Task[None]] = set()
        db = dispatcher.db
        with db.transaction():  # windows held when the platform last stopped go out now
            db.execute(
                "UPDATE deliveries SET scheduled_at = 0 WHERE status = 'pending' "
                "AND fault IS NOT NULL AND scheduled_at = ?",
                (HELD,),
            )

    # -- at fan-out ------------------------------------------------------------------------
    def first_attempt(self, event: Row, hook: Row, now: float) -> bool:
        """Record the first attempt of ``event`` to ``hook`` as a matching fault says; ``False``
        when no fault matches (the dispatcher schedules it as usual)."""
        scope = (event["team_id"], event["livemode"])
        fault = self.store.take_delivery(scope, event["type"], hook)
        if fault is None:
            return False
        spec: dict[str, Any] = fault["spec"]
        mark, shape = ids.FAULT + fault["id"], json.dumps(spec)
        due = HELD if spec.get("reorder") else now + (spec.get("delayMs") or 0) / 1000
        delivery_id = self.dispatcher.schedule(
            event, hook["id"], hook["url"], 1, due, created=now, fault=mark, fault_spec=shape
        )
        if spec.get("reorder"):
            self._hold((fault["id"], hook["id"]), delivery_id, int(spec["reorder"]))
        return True

    # -- at send time ----------------------------------------------------------------------
    def secret(self, row: Row) -> str:
        """The secret an attempt is signed with: the webhook's, unless its fault says another."""
        sign_with = _spec(row).get("signWith")
        if sign_with == "wrong-secret":
            return "whsec_" + secrets.token_urlsafe(24)  # what no receiver was ever given
        if sign_with == "old-secret" and row.get("previous_secret"):
            return self.vault.decrypt(row["previous_secret"])
        return self.vault.decrypt(row["secret"])

    def duplicate(self, row: Row) -> tuple[str, str] | None:
        """After an attempt of a ``duplicate`` fault is recorded: the marks (``fault``,
        ``fault_spec``) of the attempt that sends the event again (``None`` for any other)."""
        spec = _spec(row)
        if not spec.get("duplicate"):
            return None
        again = {k: v for k, v in spec.items() if k != "duplicate"}
        return row["fault"], json.dumps(again)

    # -- reorder windows -------------------------------------------------------------------
    def _hold(self, key: WindowKey, delivery_id: str, size: int) -> None:
        window = self._windows.setdefault(key, [])
        window.append(delivery_id)
        if len(window) >= size:
            del self._windows[key]
            timer = self._timers.pop(key, None)
            if timer is not None:
                timer.cancel()
            self.dispatcher.db.after_commit(lambda: self._send(window))
        elif len(window) == 1:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # not on the platform's loop: nothing to wait with
                return
            self._timers[key] = loop.call_later(REORDER_FLUSH_SECONDS, self._flush, key)

    def _flush(self, key: WindowKey) -> None:
        """A window that did not fill in time goes as it stands."""
        self._timers.pop(key, None)
        window = self._windows.pop(key, None)
        if window:
            self._send(window)

    def _send(self, window: list[str]) -> None:
        """Send a window's attempts one after another, shuffled."""
        order = shuffled(window)
        try:
            task = asyncio.get_running_loop().create_task(self._send_in_order(order))
        except RuntimeError:  # no loop: let the queue send them (order not kept)
            with self.dispatcher.db.transaction():
                for delivery_id in order:
                    self.dispatcher.db.execute(
                        "UPDATE deliveries SET scheduled_at = 0 WHERE id = ?", (delivery_id,)
                    )
            return
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send_in_order(self, order: list[str]) -> None:
        dispatcher = self.dispatcher
        for delivery_id in order:
            row = dispatcher.db.one(
                "SELECT team_id, livemode FROM deliveries WHERE id = ? AND status = 'pending'",
                (delivery_id,),
            )
            if row is None:  # gone with a reset (D33), or cancelled
                continue
            scope = (row["team_id"], row["livemode"])
            await asyncio.wait({dispatcher._start(delivery_id, scope)})


def _spec(row: Row) -> dict[str, Any]:
    text = row.get("fault_spec")
    spec: dict[str, Any] = json.loads(text) if text else {}
    return spec
