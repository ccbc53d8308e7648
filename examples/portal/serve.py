"""The customer-portal example's server: it serves the page and signs who is signed in.

This is the part of *your* backend that knows the signed-in user. It signs their identity with
a secret key (which never leaves the server) and hands the page only what is safe in a browser:
the API base, the team id, a publishable key and the signed identity (D18). The page then talks
to the cStar API directly, from its own origin, over CORS.

    cstar dev --db :memory: --port 0 --json | python examples/portal/serve.py
    # then open http://127.0.0.1:5173

``--port 0`` lets that platform take a free port, so it never collides with a ``cstar dev``
you already run. Without a pipe it reads CSTAR_API_BASE, CSTAR_TEAM_ID, CSTAR_SECRET_KEY and
CSTAR_PUBLISHABLE_KEY from the environment (to use a platform that is already running, or the
hosted one). Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import stat
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PAGE = Path(__file__).with_name("index.html")


def sign_identity(secret_key: str, email: str, external_id: str, name: str) -> dict[str, str]:
    """The signed identity for the page: sorted, compact JSON and its HMAC-SHA256 (D18)."""
    now = int(time.time())
    fields = {"email": email, "externalId": external_id, "name": name, "timestamp": now}
    payload = json.dumps(fields, separators=(",", ":"), sort_keys=True)
    digest = hmac.new(secret_key.encode(), payload.encode(), hashlib.sha256).hexdigest()
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return {"identity": encoded, "identityHash": digest}


class Portal:
    """What the page needs to know, and the signed-in user (here: from the command line)."""

    def __init__(self, config: dict[str, str], email: str, name: str) -> None:
        self.config = config
        self.email = email
        self.name = name

    def session(self) -> dict[str, Any]:
        """Everything the page gets; a fresh signature each time (it is valid for 24 h)."""
        signed = sign_identity(self.config["secretKey"], self.email, self.email, self.name)
        return {
            "apiBase": self.config["apiBase"],
            "teamId": self.config["teamId"],
            "publishableKey": self.config["publishableKey"],
            "customer": {"email": self.email, "name": self.name},
            **signed,
        }


def make_server(portal: Portal, host: str = "127.0.0.1", port: int = 5173) -> ThreadingHTTPServer:
    """An HTTP server for the page (``/``) and its session (``/session.json``)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path in ("/", "/index.html"):
                self._send(200, "text/html; charset=utf-8", PAGE.read_bytes())
            elif self.path == "/session.json":
                self._send(200, "application/json", json.dumps(portal.session()).encode())
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found\n")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    return ThreadingHTTPServer((host, port), Handler)


FIELDS = ("apiBase", "teamId", "secretKey", "publishableKey")


def read_config() -> dict[str, str]:
    """The platform's ready line from stdin (``cstar dev --port 0 --json | …``), else the
    environment. A pipe that brings no ready line is an error that says why, not a request to
    pipe what was piped."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if line.strip():
            return ready_line(line)
        if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
            sys.exit(
                "`cstar dev` stopped before its ready line; its error is above. If its port "
                "was busy, run `cstar dev --db :memory: --port 0 --json | python "
                "examples/portal/serve.py` (a free port), or leave out the pipe and set "
                "CSTAR_API_BASE, CSTAR_TEAM_ID, CSTAR_SECRET_KEY and CSTAR_PUBLISHABLE_KEY to "
                "the platform already running (its banner shows them)."
            )
    names = {
        "apiBase": "CSTAR_API_BASE",
        "teamId": "CSTAR_TEAM_ID",
        "secretKey": "CSTAR_SECRET_KEY",
        "publishableKey": "CSTAR_PUBLISHABLE_KEY",
    }
    missing = [env for env in names.values() if not os.environ.get(env)]
    if missing:
        sys.exit(
            "Pipe `cstar dev --db :memory: --port 0 --json` into this script, or set "
            f"{', '.join(missing)}."
        )
    return {field: os.environ[env] for field, env in names.items()}


def ready_line(line: str) -> dict[str, str]:
    """``cstar dev --json``'s ready line; anything else is an error naming what is missing."""
    try:
        ready = json.loads(line)
    except ValueError:
        ready = None
    if not isinstance(ready, dict) or not all(isinstance(ready.get(f), str) for f in FIELDS):
        sys.exit(
            "The piped line is not `cstar dev --json`'s ready line (it needs "
            f"{', '.join(FIELDS)}): add --json to `cstar dev`."
        )
    return {field: ready[field] for field in FIELDS}


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the customer-portal example.")
    parser.add_argument("--port", type=int, default=5173)
    parser.add_argument("--email", default="ada@example.com", help="The signed-in customer.")
    parser.add_argument("--name", default="Ada Lovelace")
    args = parser.parse_args()
    config = read_config()
    server = make_server(Portal(config, args.email, args.name), port=args.port)
    print(f"Portal for {args.email}: http://127.0.0.1:{server.server_port}", flush=True)
    print(
        "Answer as the support team from another terminal:\n"
        f"  cstar login --api-base {config['apiBase']} --api-key {config['secretKey']}",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
