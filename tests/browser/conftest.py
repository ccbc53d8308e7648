"""Browser tests: Playwright for Python driving the system's Chromium (never a downloaded one).

They skip, saying how to install it, only when Chromium is absent. ``CSTAR_CHROMIUM`` points at
another Chromium binary.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings

CHROMIUM = Path(os.environ.get("CSTAR_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium tries to reach Google's services, which a
# closed network refuses.
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portal" / "serve.py"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install it (Debian/Ubuntu: `apt-get install -y "
            "chromium`) or set CSTAR_CHROMIUM to a Chromium binary to run the browser tests."
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def console_errors_allowed() -> Callable[[str], bool]:
    """Which console errors a page may log without failing its test (none, unless a module's
    own fixture says otherwise)."""
    return lambda message: False


@pytest.fixture
def page(browser: Any, console_errors_allowed: Callable[[str], bool]) -> Iterator[Any]:
    """A page in a fresh browser context (no cookie yet). An uncaught error in the page fails the
    test, and so does a console error that ``console_errors_allowed`` does not allow."""
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error" and not console_errors_allowed(message.text):
            errors.append(message.text)

    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", on_console)
    yield opened
    context.close()
    assert errors == []


def load_example() -> ModuleType:
    """``examples/portal/serve.py``, the example as a user runs it (it is not a package)."""
    spec = importlib.util.spec_from_file_location("portal_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Portal:
    """A platform on one origin and the portal example's server on another."""

    platform: PlatformThread
    url: str

    @property
    def team_id(self) -> str:
        return self.platform.keys.team_id

    def staff(self, key: str | None = None) -> httpx.Client:
        """The support team, with a secret key: paths relative to the team."""
        return httpx.Client(
            base_url=f"{self.platform.api_base}/api/v1/teams/{self.team_id}",
            headers={"Authorization": f"Bearer {key or self.platform.keys.secret_key}"},
            timeout=10,
        )


@pytest.fixture
def portal_for() -> Iterator[Callable[..., Portal]]:
    """Start a platform (settings as given) and the portal example, signed in as Ada."""
    stops: list[Callable[[], None]] = []

    def start(**settings: Any) -> Portal:
        options: dict[str, Any] = {"db_path": ":memory:", "enforce_rate_limits": False}
        platform = PlatformThread(PlatformSettings(**{**options, **settings})).start()
        stops.append(platform.stop)
        keys = platform.keys
        example = load_example()
        config = {
            "apiBase": platform.api_base,
            "teamId": keys.team_id,
            "secretKey": keys.secret_key,
            "publishableKey": keys.publishable_key,
        }
        server = example.make_server(example.Portal(config, "ada@portal.test", "Ada"), port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stops.append(server.server_close)
        stops.append(server.shutdown)
        return Portal(platform, f"http://127.0.0.1:{server.server_port}/")

    yield start
    for stop in reversed(stops):
        stop()
