"""``cstar dev reset [--yes]``: clear the test environment of a local platform (D33)."""

from __future__ import annotations

import typer

from cstar_cli.cli.common import JsonOption, YesOption, app_of, confirm
from cstar_cli.cli.context import AppContext

LOCAL_HOSTS = ("localhost",)


def is_loopback(api_base: str) -> bool:
    """Whether ``api_base`` names this machine: localhost, 127.0.0.0/8 or ::1."""
    import ipaddress
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(api_base).hostname or "").lower()
    except ValueError:
        return False
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_local(app: AppContext, command: str, purpose: str) -> str:
    """The API base, when it is a local platform and the key a test key (exit 2 otherwise):
    what ``dev reset`` and ``dev export`` work on (D33)."""
    from cstar_cli.cli.errors import UsageError

    base, source = app.api_base()
    if not is_loopback(base):
        raise UsageError(
            f"`{command}` is for a local platform only; the API base is {base} ({source}).",
            "Point it at a running `cstar dev`: --api-base http://127.0.0.1:8642, or a profile "
            "logged in to one.",
            code="not_local",
        )
    key = app.require_key().api_key
    if "_live_" in key:
        from cstar_cli.wire.keys import redact

        raise UsageError(
            f"{purpose}; this is a live key ({redact(key)}).",
            "Use the platform's test secret key (--api-key sk_test_…, or a profile logged in "
            "with one).",
            code="live_mode_refused",
        )
    return base


def dev_reset(
    ctx: typer.Context,
    yes: YesOption = False,
    json_output: JsonOption = False,
) -> None:
    """Clear the test environment of the local platform the profile points at.

    Deletes the test data (tickets, messages, customers, articles, categories, webhooks and their
    deliveries, events, listen sessions' queues, the request log, the game, faults, and members
    and keys created after seeding), puts the SLA rules back to their defaults and the test clock
    back to real time. Keeps the team, its seed members and its four seed keys, so the key you use
    stays valid. Live data is never touched. For a local platform only (`cstar dev`).

    Example: cstar dev reset --yes
    """
    app = app_of(ctx, json_output=json_output)
    base = require_local(app, "cstar dev reset", "A reset clears the test environment")
    confirm(app, f"Delete all test data of the local platform at {base}?", yes=yes)
    result = app.client().test_helpers.reset()
    if json_output:
        app.printer.json(result)
        return
    deleted = {name: count for name, count in result["deleted"].items() if count}
    app.printer.success(f"Reset the test environment of the local platform at {base}.")
    if deleted:
        width = max(len(name) for name in deleted)
        lines = [f"  {name:<{width}}  {count:>7,}" for name, count in deleted.items()]
        app.printer.text("Deleted:\n" + "\n".join(lines))
    else:
        app.printer.text("Nothing to delete: the test environment was empty.")
    app.printer.info(
        "Kept the team, its seed members and seed keys (your key still works); "
        "the test clock is at real time."
    )
