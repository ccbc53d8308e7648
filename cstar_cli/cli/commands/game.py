"""``cstar game leaderboard|player|bosses|quests|high-five|one-up``: the team's game (D19–D22,
D46) as the API reports it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.common import JsonOption, app_of, command_group
from cstar_cli.cli.context import AppContext
from cstar_cli.cli.errors import UsageError
from cstar_cli.cli.render import show_done

if TYPE_CHECKING:
    from cstar_cli.client.requests import Page

HELP = "Play the game: the leaderboard, players, SLA bosses, quests, high-fives and one-ups."
LEADERBOARD_COLUMNS = columns(
    "rank",
    ("MEMBER", "name"),
    "level",
    "xp",
    "resolutions",
    ("BOSSES", "bossesDefeated"),
    "finalBlows",
    "streak",
)
BOSS_COLUMNS = columns(
    "name", "status", ("HP", "hpBar"), "timeLeft", ("TICKETS", "ticketCount"), "spawnedAt", "id"
)
BAR_WIDTH = 20
ID_PATTERN = re.compile(
    r"^((mem|usr)_[0-9a-f]{32}|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$"
)


def _all_pages(
    fetch: Callable[[dict[str, Any]], Page], params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every item ``fetch`` (``client.game.bosses``…) pages through, 100 a page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        result = fetch({**params, "page": page, "pageSize": 100})
        items.extend(result.data)
        if not result.data or not result.has_more:
            return items
        page += 1


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """``██████░░░░`` for a fraction between 0 and 1."""
    filled = round(width * max(0.0, min(fraction, 1.0)))
    return "█" * filled + "░" * (width - filled)


def hp_bar(hp: int, max_hp: int, width: int = BAR_WIDTH) -> str:
    """``██████░░░░ 100/200``."""
    return bar(hp / max_hp if max_hp > 0 else 0.0, width) + f" {hp}/{max_hp}"


def time_left(seconds: int | None) -> str:
    """``1h 05m``, ``4m 30s``, ``12s``; ``-`` when there is no clock running."""
    if seconds is None:
        return "-"
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def game_leaderboard(
    ctx: typer.Context,
    period: Literal["season", "week"] = typer.Option(
        "season", "--period", help="season (this quarter) or week (since Monday, UTC)."
    ),
    json_output: JsonOption = False,
) -> None:
    """Rank the team's players by XP earned this season or week.

    Example: cstar game leaderboard --period week
    """
    app = app_of(ctx, json_output=json_output)
    entries = _all_pages(app.client().game.leaderboard, {"period": period})
    if json_output:
        app.printer.json(entries)
        return
    app.printer.table(entries, LEADERBOARD_COLUMNS, empty="No players yet.")


def resolve_member(app: AppContext, query: str) -> str:
    """A member id for ``query``: an id as is, else a unique name or email match."""
    if ID_PATTERN.match(query.lower()):
        return query
    members = app.client().members.iter_all()
    wanted = query.strip().lower()
    rows = list(members)
    exact = [
        m for m in rows if wanted in (str(m.get("name", "")).lower(), str(m.get("email")).lower())
    ]
    found = exact or [
        m
        for m in rows
        if wanted in str(m.get("name", "")).lower() or wanted in str(m.get("email", "")).lower()
    ]
    if len(found) == 1:
        return str(found[0]["id"])
    if not found:
        raise UsageError(
            f"No team member matches {query!r}.",
            "Pass a member id (mem_…), or see names with `cstar members list`.",
            code="member_not_found",
        )
    names = ", ".join(f"{m.get('name')} <{m.get('email')}> ({m.get('id')})" for m in found)
    raise UsageError(
        f"{query!r} matches {len(found)} members: {names}.",
        "Pass more of the name or email, or the member id.",
        code="member_ambiguous",
    )


def game_player(
    ctx: typer.Context,
    member: str = typer.Argument(
        ..., metavar="MEMBER", help="Member id (mem_…), user id (usr_…), or part of a name/email."
    ),
    json_output: JsonOption = False,
) -> None:
    """Show a player's level, XP, streak, boss record and achievements.

    Example: cstar game player grace
    """
    app = app_of(ctx, json_output=json_output)
    member_id = resolve_member(app, member)
    game = app.client().game
    player: dict[str, Any] = game.player(member_id)
    if json_output:
        app.printer.json(player)
        return
    achievements = game.achievements(member_id)
    unlocked = [a["name"] for a in achievements if a.get("unlocked")]
    streaks = player.get("streaks") or {}
    stats = player.get("stats") or {}
    season = player.get("season") or {}
    level = player.get("level")
    progress = float(player.get("xpProgress") or 0.0)
    view = {
        "member": f"{player.get('name')} ({player.get('memberId')})",
        "level": level,
        "xp": f"{player.get('xp')} ({player.get('xpToNextLevel')} to level {int(level or 1) + 1})",
        "progress": f"{bar(progress)} {progress:.0%}",
        "gold": player.get("gold"),
        "streak": f"{streaks.get('current', 0)} day(s), best {streaks.get('max', 0)}",
        "ticketsClosed": stats.get("ticketsClosed"),
        "goldTier": stats.get("goldTierResolutions"),
        "bossesDefeated": stats.get("bossesDefeated"),
        "finalBlows": stats.get("finalBlows"),
        "achievements": ", ".join(unlocked) or "-",
        "season": f"{season.get('id')} (ends {str(season.get('endsAt', ''))[:10]})",
    }
    app.printer.detail(view, title=str(player.get("name")))


def game_bosses(
    ctx: typer.Context,
    boss_id: str | None = typer.Argument(
        None, metavar="[BOSS_ID]", help="Show only this boss (bos_… or its UUID), with its tickets."
    ),
    all_bosses: bool = typer.Option(
        False, "--all", help="Every boss, defeated and escaped too (default: active only)."
    ),
    json_output: JsonOption = False,
) -> None:
    """Show SLA bosses with their HP and the time left before they escape.

    Example: cstar game bosses --all · cstar game bosses bos_…
    """
    app = app_of(ctx, json_output=json_output)
    if boss_id is not None:
        boss = app.client().game.boss(boss_id)
        if json_output:
            app.printer.json(boss)
            return
        view = {**_boss_row(boss), "ticketIds": boss.get("ticketIds")}
        fields = [field for _, field in BOSS_COLUMNS] + ["ticketIds"]
        app.printer.detail(view, fields=fields, title=str(boss.get("name")))
        return
    params = {} if all_bosses else {"status": "active"}
    bosses = _all_pages(app.client().game.bosses, params)
    if json_output:
        app.printer.json(bosses)
        return
    rows = [_boss_row(boss) for boss in bosses]
    empty = "No bosses yet." if all_bosses else "No active bosses. Your SLAs are safe (for now)."
    app.printer.table(rows, BOSS_COLUMNS, empty=empty)


def _boss_row(boss: dict[str, Any]) -> dict[str, Any]:
    """A boss with what its table row shows: an HP bar, the time left, how many tickets."""
    return {
        **boss,
        "hpBar": hp_bar(int(boss.get("hp") or 0), int(boss.get("maxHp") or 0)),
        "timeLeft": time_left(boss.get("timeLeftSeconds")),
        "ticketCount": len(boss.get("ticketIds") or []),
    }


QUEST_COLUMNS = columns(
    ("QUEST", "name"),
    "period",
    ("PROGRESS", "progressBar"),
    "reward",
    "done",
    ("GOAL", "description"),
)


def game_quests(
    ctx: typer.Context,
    member: str | None = typer.Argument(
        None,
        metavar="[MEMBER]",
        help="Whose progress: member id (mem_…) or part of a name/email. Without it, the quests.",
    ),
    json_output: JsonOption = False,
) -> None:
    """Show the daily and weekly quests, with a member's progress toward each.

    Days and weeks follow the team's time zone (`cstar preferences get`) on the team clock.

    Example: cstar game quests grace
    """
    app = app_of(ctx, json_output=json_output)
    member_id = resolve_member(app, member) if member else None
    quests: list[dict[str, Any]] = app.client().game.quests(member_id)
    if json_output:
        app.printer.json(quests)
        return
    rows = [_quest_row(quest) for quest in quests]
    app.printer.table(rows, QUEST_COLUMNS, empty="No quests.")


def _quest_row(quest: dict[str, Any]) -> dict[str, Any]:
    target = int(quest.get("target") or 1)
    progress = quest.get("progress")
    shown = "-" if progress is None else f"{bar(int(progress) / target, 10)} {progress}/{target}"
    done = "-" if quest.get("completed") is None else ("yes" if quest["completed"] else "no")
    return {
        **quest,
        "progressBar": shown,
        "reward": f"{quest.get('rewardXp')} XP + {quest.get('rewardGold')} gold",
        "done": done,
    }


def game_high_five(
    ctx: typer.Context,
    sender: str = typer.Argument(..., metavar="FROM", help="Who sends it: member id or name."),
    receiver: str = typer.Argument(..., metavar="TO", help="Who gets it: member id or name."),
    message: str | None = typer.Option(None, "--message", "-m", help="A few words with it."),
    json_output: JsonOption = False,
) -> None:
    """High-five a teammate (fires social.high_five_sent; at most 10 a day per sender).

    Example: cstar game high-five grace alan --message "Queue cleared!"
    """
    app = app_of(ctx, json_output=json_output)
    from_id, to_id = resolve_member(app, sender), resolve_member(app, receiver)
    sent = app.client().game.high_five(from_id, to_id, message)
    show_done(app, sent, f"High-five sent: {sent.get('id')}.", json_output=json_output)


def game_one_up(
    ctx: typer.Context,
    sender: str = typer.Argument(..., metavar="FROM", help="Who sends it: member id or name."),
    receiver: str = typer.Argument(..., metavar="TO", help="Who gets it: member id or name."),
    ticket: str | None = typer.Option(None, "--ticket", help="The ticket it is for (tkt_…)."),
    json_output: JsonOption = False,
) -> None:
    """Give a teammate a one-up (fires social.one_up_sent; at most 10 a day per sender).

    Example: cstar game one-up alan grace --ticket tkt_…
    """
    app = app_of(ctx, json_output=json_output)
    from_id, to_id = resolve_member(app, sender), resolve_member(app, receiver)
    sent = app.client().game.one_up(from_id, to_id, ticket)
    show_done(app, sent, f"One-up sent: {sent.get('id')}.", json_output=json_output)


def build(name: str) -> typer.Typer:
    return command_group(
        {
            "leaderboard": game_leaderboard,
            "player": game_player,
            "bosses": game_bosses,
            "quests": game_quests,
            "high-five": game_high_five,
            "one-up": game_one_up,
        },
        help=HELP,
    )
