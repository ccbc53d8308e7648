"""Where webhooks may deliver (D12, D29): URLs checked on create and update, addresses on send.

A webhook URL is http(s), has a host and a port in 1–65535, and parses (for us and for httpx);
otherwise 400 ``parameter_invalid`` with ``param: "url"``. Test mode delivers anywhere — it is
the developer's machine, so loopback and private addresses are the point. Live mode wants https
(http only for loopback) and never reaches link-local or cloud-metadata addresses: the URL is
checked when it is stored, and the addresses its host resolves to when each attempt starts.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from cstar_cli.platform.http.errors import ApiError

LOOPBACK_HOSTS = frozenset({"localhost"})
METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2"}
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
LIVE_REFUSAL = "live-mode webhooks never reach link-local or cloud-metadata addresses"


def _invalid(message: str) -> ApiError:
    return ApiError.invalid(message, param="url")


def check_url(url: str, livemode: bool) -> str:
    """The URL if a webhook may deliver to it, else 400 naming ``url``."""
    import httpx

    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise _invalid("A webhook URL cannot contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as err:
        raise _invalid(f"'{url[:200]}' is not a valid URL ({err}).") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _invalid(f"'{url[:200]}' is not an http(s) URL with a host.")
    if port is not None and not 1 <= port <= 65535:
        raise _invalid("A webhook URL's port is between 1 and 65535.")
    host = parts.hostname
    if livemode and parts.scheme != "https" and not is_loopback(host):
        raise _invalid(
            "Live-mode webhooks need an https URL (http is allowed for loopback addresses)."
        )
    if livemode and _forbidden_host(host):
        raise _invalid(f"Refused: {LIVE_REFUSAL}.")
    return url


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _forbidden_host(host: str) -> bool:
    if host.lower().rstrip(".") in METADATA_HOSTS:
        return True
    try:
        return _forbidden_address(ipaddress.ip_address(host))
    except ValueError:
        return False


def _forbidden_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_link_local or address in METADATA_ADDRESSES


async def refusal(url: str, *, livemode: bool, loopback_only: bool = False) -> str | None:
    """Why an attempt to ``url`` must not start (``None``: it may).

    Live mode refuses hosts that resolve to link-local or metadata addresses; a platform set to
    ``loopback_only`` (the fuzz run) refuses everything but loopback.
    """
    if not livemode and not loopback_only:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if loopback_only and not is_loopback(host):
        return f"refused: this platform delivers to loopback addresses only, not {host!r}"
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, parts.port or 443, type=socket.SOCK_STREAM
        )
    except OSError as err:
        return f"cannot resolve {host!r} ({err.strerror or err})"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if loopback_only and not address.is_loopback:
            return f"refused: this platform delivers to loopback addresses only, not {address}"
        if livemode and _forbidden_address(address):
            return f"refused: {LIVE_REFUSAL} ({host} is {address})"
    return None
