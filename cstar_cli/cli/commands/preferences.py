"""``cstar preferences get|set|member``: the team's preferences and each member's own (D46)."""

from __future__ import annotations

from typing import Any

import typer

from cstar_cli.cli.common import JsonOption, app_of, command_group
from cstar_cli.cli.errors import UsageError
from cstar_cli.cli.render import render_item, show_done
from cstar_cli.wire.enums import WEEKDAYS, Priority, Theme

HELP = "Show and change the team's preferences and each member's own."
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def preferences_get(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show the team's preferences: time zone, business hours, the game, default priority.

    Example: cstar preferences get
    """
    app = app_of(ctx, json_output=json_output)
    prefs = app.client().preferences.team()
    render_item(app, prefs if json_output else _flat_team(prefs), json_output=json_output)


def preferences_set(
    ctx: typer.Context,
    timezone: str | None = typer.Option(
        None, "--timezone", help="IANA time zone of the team's days and weeks (Europe/Berlin)."
    ),
    default_priority: Priority | None = typer.Option(
        None, "--default-priority", help="Priority of tickets created without one."
    ),
    gamification: bool | None = typer.Option(
        None, "--gamification/--no-gamification", help="Turn the game (XP, bosses, quests) on/off."
    ),
    hours: str | None = typer.Option(
        None, "--business-hours", metavar="HH:MM-HH:MM", help="Business hours, e.g. 09:00-17:00."
    ),
    days: str | None = typer.Option(
        None, "--business-days", metavar="DAYS", help="Business days, e.g. mon,tue,wed,thu,fri."
    ),
    hours_on: bool | None = typer.Option(
        None, "--business-hours-on/--business-hours-off", help="Whether business hours apply."
    ),
    json_output: JsonOption = False,
) -> None:
    """Change the team's preferences (fires team.preferences_updated when something changes).

    Example: cstar preferences set --timezone Europe/Berlin --default-priority high
    """
    app = app_of(ctx, json_output=json_output)
    body: dict[str, Any] = {}
    if timezone is not None:
        body["timezone"] = timezone
    if default_priority is not None:
        body["defaultPriority"] = default_priority
    if gamification is not None:
        body["gamificationEnabled"] = gamification
    business = _business_hours(hours, days, hours_on)
    if business:
        body["businessHours"] = business
    if not body:
        raise UsageError(
            "Nothing to change.",
            "Give at least one option, e.g. `cstar preferences set --timezone Europe/Berlin`.",
        )
    result = app.client().preferences.update_team(body)
    show_done(
        app,
        result,
        "Updated the team's preferences.",
        json_output=json_output,
        then=lambda: render_item(app, _flat_team(result), json_output=False),
    )


def preferences_member(
    ctx: typer.Context,
    member: str = typer.Argument(
        ..., metavar="MEMBER", help="Member id (mem_…) or part of a name/email."
    ),
    theme: Theme | None = typer.Option(None, "--theme"),
    sound: bool | None = typer.Option(None, "--sound/--no-sound", help="Sound effects on/off."),
    notify: list[str] | None = typer.Option(
        None,
        "--notify",
        metavar="CHANNEL=on|off",
        help="A notification channel (email, desktop, mobile) on or off. Repeatable.",
    ),
    json_output: JsonOption = False,
) -> None:
    """Show a member's own preferences, or change them (fires agent.preferences_updated).

    Example: cstar preferences member grace --theme dark --notify email=off
    """
    from cstar_cli.cli.commands.game import resolve_member

    app = app_of(ctx, json_output=json_output)
    member_id = resolve_member(app, member)
    body: dict[str, Any] = {}
    if theme is not None:
        body["theme"] = theme
    if sound is not None:
        body["soundEffects"] = sound
    if notify:
        body["notifications"] = _switches(notify)
    preferences = app.client().preferences
    if not body:
        shown = preferences.member(member_id)
        render_item(app, shown if json_output else _flat_member(shown), json_output=json_output)
        return
    result = preferences.update_member(member_id, body)
    show_done(
        app,
        result,
        f"Updated the preferences of {member_id}.",
        json_output=json_output,
        then=lambda: render_item(app, _flat_member(result), json_output=False),
    )


def _business_hours(hours: str | None, days: str | None, on: bool | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if hours is not None:
        start, sep, end = hours.partition("-")
        if not sep or not start.strip() or not end.strip():
            raise UsageError(
                f"--business-hours {hours!r} is not HH:MM-HH:MM.", "Example: 09:00-17:00"
            )
        found["start"], found["end"] = start.strip(), end.strip()
    if days is not None:
        given = [d.strip().lower() for d in days.split(",") if d.strip()]
        wrong = [d for d in given if d not in WEEKDAYS and d not in DAY_NAMES]
        chosen = [d[:3] for d in given]
        if wrong:
            raise UsageError(
                f"--business-days: unknown day(s) {', '.join(wrong)}.", f"Use {','.join(WEEKDAYS)}."
            )
        found["days"] = chosen
    if on is not None:
        found["enabled"] = on
    return found


def _switches(pairs: list[str]) -> dict[str, bool]:
    switches: dict[str, bool] = {}
    for pair in pairs:
        channel, _, value = pair.partition("=")
        channel, value = channel.strip().lower(), value.strip().lower()
        if channel not in ("email", "desktop", "mobile") or value not in ("on", "off"):
            raise UsageError(
                f"--notify {pair!r} is not CHANNEL=on|off.",
                "Channels: email, desktop, mobile. Example: --notify email=off",
            )
        switches[channel] = value == "on"
    return switches


def _flat_team(prefs: dict[str, Any]) -> dict[str, Any]:
    """The team's preferences with business hours on one line (for people; JSON is as is)."""
    hours = prefs.get("businessHours")
    if not isinstance(hours, dict):
        return prefs
    days = ",".join(hours.get("days") or []) or "-"
    state = "on" if hours.get("enabled") else "off"
    shown = f"{hours.get('start')}-{hours.get('end')} {days} ({state})"
    return {**prefs, "businessHours": shown}


def _flat_member(prefs: dict[str, Any]) -> dict[str, Any]:
    switches = prefs.get("notifications")
    if not isinstance(switches, dict):
        return prefs
    shown = ", ".join(f"{k} {'on' if v else 'off'}" for k, v in switches.items())
    return {**prefs, "notifications": shown}


def build(name: str) -> typer.Typer:
    return command_group(
        {"get": preferences_get, "set": preferences_set, "member": preferences_member}, help=HELP
    )
