"""README's inspector screenshots, made from the real pages: ``python docs/screenshots.py``.

Starts a local platform in this process (in memory), makes some data through the REST API — a
webhook to a small receiver that fails now and then, tickets and messages, a listen session with
a connected CLI, an SLA boss on the test clock, a won ticket — then opens the inspector in
Debian's Chromium (Playwright, as the browser tests do) and writes ``docs/images/inspector-*.png``.
``CSTAR_CHROMIUM`` points at another Chromium binary.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings

IMAGES = Path(__file__).resolve().parent / "images"
CHROMIUM = os.environ.get("CSTAR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
SIZE = {"width": 1360, "height": 820}


class Receiver(BaseHTTPRequestHandler):
    """Answers 200, except every third request, which gets a 500 (so Resend has a reason)."""

    count = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        Receiver.count += 1
        status = 500 if Receiver.count % 3 == 0 else 200
        body = b'{"received": true}' if status == 200 else b'{"error": "handler not deployed yet"}'
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def make_data(platform: PlatformThread, receiver_url: str) -> dict[str, Any]:
    keys = platform.keys
    api = httpx.Client(
        base_url=f"{platform.api_base}/api/v1/teams/{keys.team_id}",
        headers={"Authorization": f"Bearer {keys.secret_key}", "User-Agent": "cstar-cli/docs"},
        timeout=10,
    )

    def ok(response: httpx.Response) -> Any:
        assert response.is_success, response.text
        return response.json()["data"]

    ok(api.post("/webhooks", json={"url": receiver_url, "events": ["*"], "name": "My app"}))
    members = ok(api.get("/members"))
    grace = next(m for m in members if m["name"].startswith("Grace"))
    ada = ok(api.post("/customers", json={"name": "Ada Lovelace", "email": "ada@example.com"}))
    first = ok(
        api.post(
            "/tickets",
            json={
                "title": "Checkout page shows a blank screen",
                "priority": "high",
                "customerId": ada["id"],
                "tags": ["billing", "web"],
            },
        )
    )
    ok(api.post(f"/tickets/{first['id']}/messages", json={"content": "It happens on Safari 17."}))
    ok(api.patch(f"/tickets/{first['id']}", json={"assignedTo": grace["id"], "status": "open"}))
    ok(api.patch(f"/tickets/{first['id']}", json={"status": "closed"}))
    urgent = ok(
        api.post(
            "/tickets",
            json={
                "title": "Payments failing for EU cards",
                "priority": "urgent",
                "assignedTo": grace["id"],
                "customerId": ada["id"],
            },
        )
    )
    ok(api.post("/test-helpers/clock/advance", json={"seconds": 12 * 60}))
    ok(api.post("/webhooks/trigger-test", json={"event": "article.published"}))
    api.get("/tickets/not-an-id")  # a 400 for the request log
    return {"ticket": urgent, "api": api}


@contextlib.contextmanager
def connected_listener(platform: PlatformThread) -> Iterator[None]:
    """A ``cstar listen``-like websocket, so the session shows as connected."""
    from websockets.sync.client import connect

    keys = platform.keys
    headers = {"Authorization": f"Bearer {keys.secret_key}"}
    opened = httpx.post(
        f"{platform.api_base}/api/v1/teams/{keys.team_id}/webhooks/listen",
        json={"deviceName": "ada-laptop", "events": ["ticket.*", "boss.*"]},
        headers=headers,
    ).json()["data"]
    with connect(opened["websocketUrl"], additional_headers=headers) as socket:
        hello = {
            "type": "hello",
            "version": 2,
            "instance": "docs",
            "routes": [
                {"target": "http://localhost:3000/webhooks", "events": ["ticket.*"]},
                {"target": "http://localhost:4000/game", "events": ["boss.*"]},
            ],
        }
        socket.send(json.dumps(hello))
        socket.recv(timeout=10)  # ready
        yield


def shoot(url: str, data: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=SIZE, device_scale_factor=1)
        page.goto(url)
        page.wait_for_selector("#live[data-state=on]")
        page.screenshot(path=str(IMAGES / "inspector-events.png"))
        page.locator("tr[data-href]").filter(has_text="ticket.updated").first.click()
        page.wait_for_selector(".target")
        page.locator("details.headers").first.evaluate("d => d.open = true")
        page.screenshot(path=str(IMAGES / "inspector-event.png"))
        for name in ("listen", "game", "logs", "clock"):
            page.goto(f"{url.split('/?')[0]}/{name}")
            page.wait_for_selector("#live[data-state=on]")
            page.screenshot(path=str(IMAGES / f"inspector-{name}.png"))
        browser.close()


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False, retry_scale=0.01)
    with PlatformThread(settings) as platform:
        data = make_data(platform, f"http://127.0.0.1:{server.server_port}/webhooks")
        with connected_listener(platform):
            shoot(platform.inspector_url, data)
    server.shutdown()
    print(f"wrote {', '.join(sorted(p.name for p in IMAGES.glob('inspector-*.png')))}")


if __name__ == "__main__":
    main()
