"""The questions ``cstar login`` asks on a terminal: which API (a running ``cstar dev`` first),
then which key (the local platform's seed test key when this user can read it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cstar_cli.cli.context import AppContext
from cstar_cli.wire.links import LOCAL_API_BASE
from cstar_cli.wire.protocol import DEFAULT_API_BASE

if TYPE_CHECKING:
    from cstar_cli.cli.discovery import LocalPlatform


def ask_api_base(app: AppContext) -> LocalPlatform | None:
    """Settle the API base (into ``app.options.api_base``); the local platform it is, if known.

    An explicit ``--api-base`` or ``CSTAR_API_BASE`` is used as given. Otherwise running local
    platforms are offered (one: yes/no; several: a numbered choice); failing that, the API base
    is asked for, with the profile's (or the hosted one) as the default.
    """
    from cstar_cli.cli import discovery

    if app.options.api_base or app.env.api_base:
        base, _ = app.api_base()
        return next((p for p in discovery.announced() if p.api_base == base), None)
    found = discovery.running(app.env.local_api_base or LOCAL_API_BASE)
    chosen: LocalPlatform | None = None
    if len(found) == 1:
        app.printer.info(f"Found a local cStar platform: {found[0].describe()}.")
        if typer.confirm("Log in to it?", default=True, err=True):
            chosen = found[0]
    elif found:
        chosen = _pick(app, found)
    if chosen is not None:
        app.options.api_base = chosen.api_base
        return chosen
    current, _ = app.api_base()
    answer = typer.prompt("API base", default=current or DEFAULT_API_BASE, err=True)
    app.options.api_base = str(answer).strip().rstrip("/") or DEFAULT_API_BASE
    return None


def _pick(app: AppContext, found: list[LocalPlatform]) -> LocalPlatform | None:
    app.printer.info("Local cStar platforms running:")
    for number, platform in enumerate(found, 1):
        app.printer.info(f"  {number}. {platform.describe()}")
    other = len(found) + 1
    app.printer.info(f"  {other}. another API base (such as the hosted {DEFAULT_API_BASE})")
    while True:
        answer = str(typer.prompt("Log in to", default="1", err=True)).strip()
        if answer.isdigit() and 1 <= int(answer) <= other:
            return found[int(answer) - 1] if int(answer) < other else None
        app.printer.warn(f"Answer with a number from 1 to {other}.")


def ask_key(app: AppContext, platform: LocalPlatform | None) -> tuple[str, str]:
    """``(key, where it came from)``: the platform's seed test key if wanted, else a prompt."""
    from cstar_cli.cli.discovery import seed_test_key
    from cstar_cli.wire.keys import redact

    seed = seed_test_key(platform) if platform is not None else None
    if seed is not None and typer.confirm(
        f"Use its seed test key ({redact(seed)})?", default=True, err=True
    ):
        return seed, "the local platform's seed keys"
    key = typer.prompt("API key (input hidden)", hide_input=True, err=True)
    return str(key), "the prompt"
