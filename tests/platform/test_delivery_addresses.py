"""Where deliveries may go and what they read back (D29, issue 21): every encoding of a
link-local or metadata address is refused in live mode, an attempt connects to the address that
was checked (DNS rebinding can't switch it), and a compressed answer never inflates past the cap.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from cstar_cli.platform.delivery.post import post_event
from cstar_cli.platform.delivery.urls import Destination, destination, forbidden_address
from cstar_cli.wire.protocol import MAX_ANSWER_BYTES
from tests.platform.test_delivery_limits import send_test_event
from tests.support.platforms import OwnPlatform

Start = Callable[..., OwnPlatform]

METADATA_ENCODINGS = [
    "169.254.169.254",
    "[::ffff:169.254.169.254]",
    "[::ffff:a9fe:a9fe]",
    "[::a9fe:a9fe]",  # IPv4-compatible
    "[64:ff9b::a9fe:a9fe]",  # NAT64, well-known prefix
    "[64:ff9b::169.254.169.254]",
    "[64:ff9b:1::a9fe:a9fe]",  # NAT64, local-use prefix
    "[2002:a9fe:a9fe::1]",  # 6to4
    "[2001:0:4136:e378:8000:63bf:5601:5601]",  # Teredo, client 169.254.169.254
    "[fe80::1]",
    "[fd00:ec2::254]",
    "192.0.0.192",
    "100.100.100.200",
    "168.63.129.16",
    "2852039166",  # 169.254.169.254 as one decimal number
    "0xa9fea9fe",
    "0251.0376.0251.0376",  # octal
    "metadata.google.internal",
]


@pytest.mark.parametrize("host", METADATA_ENCODINGS)
def test_live_mode_refuses_every_encoding_of_a_metadata_address(
    own_platform: Start, host: str
) -> None:
    platform = own_platform()
    with platform.client(platform.server.keys.live_secret_key) as api:
        refused = api.post(
            platform.team("/webhooks"), json={"url": f"https://{host}/hooks", "events": ["*"]}
        )
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["param"] == "url"


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "10.0.0.1", "::1"]
)
def test_ordinary_addresses_are_not_refused(address: str) -> None:
    assert not forbidden_address(ipaddress.ip_address(address))


class FlippingResolver:
    """A DNS-rebinding name: a safe address first, the metadata address on every later lookup."""

    def __init__(self) -> None:
        self.lookups = 0

    async def __call__(self, host: str, port: int) -> list[Any]:
        self.lookups += 1
        address = "127.0.0.1" if self.lookups == 1 else "169.254.169.254"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


class Recorder(BaseHTTPRequestHandler):
    """Answers 200 ``ok`` and keeps each request's headers; ``answer`` may change the body."""

    seen: list[dict[str, str]]
    answer: tuple[dict[str, str], bytes] = ({}, b"ok")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.seen.append(dict(self.headers.items()))
        headers, body = self.answer
        self.send_response(200)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def recorder() -> Iterator[tuple[str, type[Recorder]]]:
    handler = type("Handler", (Recorder,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", handler
    server.shutdown()
    server.server_close()


def test_an_attempt_connects_to_the_address_that_was_checked(
    recorder: tuple[str, type[Recorder]],
) -> None:
    url, handler = recorder
    port = url.split(":")[2].split("/")[0]
    resolver = FlippingResolver()
    named = f"http://rebind.example:{port}/hooks"

    async def attempt() -> Any:
        async with httpx.AsyncClient() as client:

            async def where() -> Destination | str:
                return await destination(named, livemode=True, resolve=resolver)

            return await post_event(client, named, b"{}", {}, where)

    result = asyncio.run(attempt())
    assert result.success, result.error
    assert resolver.lookups == 1  # nobody looked the name up a second time
    assert handler.seen[0]["Host"] == f"rebind.example:{port}"


def test_the_pinned_address_keeps_the_name_for_tls() -> None:
    async def pin() -> Destination | str:
        return await destination(
            "https://hooks.example/in", livemode=True, resolve=FlippingResolver()
        )

    pinned = asyncio.run(pin())
    assert isinstance(pinned, Destination)
    assert pinned.url == "https://127.0.0.1/in"
    assert pinned.headers == {"Host": "hooks.example"}
    assert pinned.extensions == {"sni_hostname": "hooks.example"}


def test_a_gzip_bomb_is_never_inflated_past_the_cap(
    own_platform: Start, recorder: tuple[str, type[Recorder]]
) -> None:
    url, handler = recorder
    handler.answer = ({"Content-Encoding": "gzip"}, gzip.compress(b"0" * (20 * MAX_ANSWER_BYTES)))
    outcome = send_test_event(own_platform(), url)
    assert handler.seen[0]["Accept-Encoding"] == "identity"
    assert outcome["success"] is False
    assert "inflates past 64 KiB" in outcome["error"]


def test_a_small_compressed_answer_is_read(
    own_platform: Start, recorder: tuple[str, type[Recorder]]
) -> None:
    url, handler = recorder
    handler.answer = ({"Content-Encoding": "gzip"}, gzip.compress(b"thanks"))
    outcome = send_test_event(own_platform(), url)
    assert outcome["success"] is True, outcome
