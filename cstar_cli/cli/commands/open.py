"""``cstar open``: the local inspector (D31) in a browser, with a fresh one-time link."""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlsplit

import typer

from cstar_cli.cli.common import app_of, one_command
from cstar_cli.cli.context import AppContext

HOSTED = ("cstar.help",)
LOCAL_ONLY_HINT = (
    "Start one with `cstar dev`, then log in to it: "
    "`cstar login --api-base http://127.0.0.1:8642 --api-key sk_test_…` (or pass --api-base)."
)


def open_inspector(
    ctx: typer.Context,
    print_only: bool = typer.Option(
        False, "--print", help="Print the link instead of opening a browser."
    ),
    live: bool = typer.Option(
        False, "--live", help="A live-mode view (needs a live secret key: sk_live_…)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the link as JSON on stdout."),
) -> None:
    """Open the local inspector of the platform the profile points at, in a browser.

    Mints a fresh one-time link (POST /inspector/links) and joins it to the profile's API base.
    The inspector shows the events, deliveries, listen sessions, request logs, game and test
    clock of the key's team and environment. Without a browser (or with --print) the link is
    printed; it works once.

    Example: cstar open --print
    """
    app = app_of(ctx, json_output=json_output)
    link = mint_link(app, live=live)
    if json_output:
        app.printer.json(link, reveal=True)
        return
    if print_only or not open_in_browser(link["url"]):
        if not print_only:
            app.printer.info("No browser to open here; open this link (it works once):")
        app.printer.text(link["url"], reveal=True)
        return
    app.printer.info(f"Opened the {link['environment']} inspector in your browser.")


def mint_link(app: AppContext, *, live: bool) -> dict[str, Any]:
    """A new link from the platform, on the profile's own API base."""
    from cstar_cli.cli.errors import CstarError
    from cstar_cli.client.errors import NotFoundError

    base, source = app.api_base()
    host = (urlsplit(base).hostname or "").lower()
    if any(host == name or host.endswith("." + name) for name in HOSTED):
        raise CstarError(
            f"The inspector is local only: {base} ({source}) is the hosted platform.",
            LOCAL_ONLY_HINT,
            code="inspector_local_only",
        )
    client = app.client()
    try:
        data = client.inspector.link("live" if live else None)
    except NotFoundError:
        raise CstarError(
            f"The platform at {base} has no inspector: it is served by `cstar dev` only.",
            LOCAL_ONLY_HINT,
            code="inspector_local_only",
        ) from None
    return {
        "url": f"{base}/?token={data['token']}",
        "environment": data["environment"],
        "expiresAt": data["expiresAt"],
    }


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the user's browser; ``False`` when there is none (a server, CI).

    ``$BROWSER`` is honoured. On Linux without a display only ``$BROWSER`` counts, so a text
    browser never takes over the terminal.
    """
    import webbrowser

    graphical = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
    )
    chosen: list[str | None] = [
        name for name in os.environ.get("BROWSER", "").split(os.pathsep) if name
    ]
    if not graphical and not chosen:
        return False
    for name in chosen or [None]:
        try:
            if webbrowser.get(name).open(url):
                return True
        except webbrowser.Error:
            continue
    return False


def build(name: str) -> typer.Typer:
    return one_command(open_inspector)
