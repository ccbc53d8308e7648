"""The game engine of the local platform: SLA, XP, levels, streaks, achievements and bosses.

No public rules exist; these implement decisions D19–D22. Everything is data in SQLite and every
state change emits its catalogue event in the same transaction (D10), so webhooks and listen
sessions see the game as it happens.

SLA (D20, :mod:`.sla`). Rules per priority (``/sla/rules``; defaults urgent 15/120, high 60/480,
normal 240/1440, low 1440/4320 minutes). A ticket gets ``responseDeadline`` and
``resolutionDeadline`` at creation (and again when its priority changes). ``pending`` pauses
the SLA (``slaPaused``); leaving pending moves both deadlines later by the time paused.
``responseTier`` is set at the first public agent message and ``resolutionTier`` at the first
resolve/close, judged on active time against the target: gold ≤ 25 %, silver ≤ 50 %,
bronze ≤ 100 %, else ``missed``.

XP and levels (D19, :mod:`.rules`). Closing (resolved or closed) a ticket assigned to a member
earns urgent 75 / high 50 / normal 25 / low 10 XP × the resolution tier (gold ×3, silver ×2,
bronze ×1, missed ×1; no SLA ×1), once per ticket. Level n+1 needs ``round(100·n^1.5)`` XP in
total. Events: ``player.xp_gained`` on every award, ``player.level_up`` when the level changes
(once, with ``old_level`` and ``new_level``).

Streaks (D19). Consecutive UTC calendar days (team clock) with at least one resolution; the
milestones 3, 7, 14 and 30 emit ``player.streak_milestone`` when the streak reaches them. A
streak whose last day is before yesterday reads as 0.

Achievements (D20). First ticket closed, 10 and 100 closed, first boss final blow, a 7-day streak,
10 gold-tier resolutions: ``player.achievement_unlocked`` once per member and achievement.

Bosses (D20, :mod:`.engine`). One active boss per team+environment at most. A ticket is *at
risk* when it is ``new`` or ``open`` (SLA not paused) and has passed 75 % of a window it still
has to meet (response until the first agent response, then resolution) but not its deadline (a
ticket first seen past its deadline has simply missed it). With no active boss, the tickets
found at risk in one evaluation spawn a boss with 100 HP each (``boss.spawned``); tickets found
at risk while a boss is active join it (HP and max HP +100 each; the catalogue has no event for
that, the boss object shows it). A ticket joins at most one boss, ever. Resolving a ticket of the
active boss deals 100 damage (``boss.damaged``, every hit including the last), credited to the
member it is assigned to; the hit that brings HP to 0 is the final blow (``boss.defeated``,
``final_blow`` null = team credit; the final-blow member gets 25 gold per ticket in the boss, every
member who hit it counts a boss defeated). If any of the boss's unresolved tickets passes its
deadline while its SLA runs, the boss escapes: it is marked ``escaped`` with ``escapedAt`` and no
further events fire for it. Deleting a ticket removes it from its boss (HP −100, silently); a
boss left with no unresolved tickets is marked escaped. A boss's ``expires_at`` is the earliest
deadline among its unresolved tickets.

Evaluation runs on every ticket write (judging the written ticket as it was before the write,
so closing a ticket that had just crossed 75 % still fights the boss), right after a test-clock
advance, and on a background timer every 0.5 s (:mod:`.timer`).

Test clock (D21, :mod:`cstar_cli.platform.testhelpers.clock`): test mode only,
``POST /test-helpers/clock/advance {seconds}`` adds to a per team+environment offset stored in
SQLite (``…/clock/reset`` sets it back to 0); ``Platform.now()`` applies it.

Quests (D46, :mod:`.quests`): daily and weekly goals counted after the engine scored a write.
A team whose ``gamificationEnabled`` preference is false has no game: ticket writes, deletes and
the timer skip every hook (no XP, bosses, streaks, achievements or quests; SLA fields are still
kept on tickets).

Not modelled on the local platform: seasonal resets (the season is reported, XP and levels are
lifetime; ``period=season`` ranks by XP earned this season), skills and cosmetics (shown
at level 0 / empty), prestige, business hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cstar_cli.platform.game import engine, quests
from cstar_cli.platform.game.sla import deadlines, sla_fields
from cstar_cli.platform.preferences import gamification_enabled
from cstar_cli.platform.store.db import Row

if TYPE_CHECKING:
    from cstar_cli.platform.http.auth import Principal
    from cstar_cli.platform.work import Work

__all__ = ["deadlines", "on_ticket_deleted", "on_ticket_written", "sla_fields"]


def on_ticket_written(
    work: Work,
    principal: Principal,
    before: Row | None,
    after: Row,
    *,
    now: float,
    request_id: str | None,
) -> None:
    """Call inside the transaction that created or changed a ticket (``before`` None on create)."""
    if not gamification_enabled(work.db, principal.team_id, principal.livemode):
        return
    scope = engine.Scope(work, principal, now, request_id)
    engine.ticket_written(scope, before, after)
    quests.after_ticket_written(scope, before, after)


def on_ticket_deleted(
    work: Work, principal: Principal, row: Row, *, now: float, request_id: str | None
) -> None:
    """Call inside the transaction that deletes a ticket."""
    if not gamification_enabled(work.db, principal.team_id, principal.livemode):
        return
    engine.ticket_deleted(engine.Scope(work, principal, now, request_id), row)
