"""Where webhooks may deliver (D12, D29): URLs checked on create and update, addresses on send.

A webhook URL is http(s), has a host and a port in 1–65535, and parses (for us and for httpx);
otherwise 400 ``parameter_invalid`` with ``param: "url"``. Test mode delivers anywhere — it is
the developer's machine, so loopback and private addresses are the point. Live mode wants https
(http only for loopback) and never reaches link-local or cloud-metadata addresses, however
they are written (IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64, decimal or hex IPv4): the
URL is checked when it is stored, and the addresses its host resolves to when each attempt
starts — and the attempt then connects to the address that was checked, never to a second
lookup's answer (a DNS-rebinding host cannot switch it afterwards).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cstar_cli.platform.http.errors import ApiError

LOOPBACK_HOSTS = frozenset({"localhost"})
METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2"}
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean…
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "168.63.129.16",  # Azure's wire server
    )
)
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
"""IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052, RFC 8215)."""
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[Any]]]
"""``getaddrinfo``-like: ``(host, port)`` to ``[(family, type, proto, name, sockaddr), …]``."""
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
    address = literal_address(host)
    return address is not None and forbidden_address(address)


def literal_address(host: str) -> IPAddress | None:
    """The address a host name spells, in any form a resolver accepts for IPv4
    (``169.254.169.254``, ``2852039166``, ``0xa9fea9fe``, ``0251.0376.0251.0376``)."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    value = int(address)
    if value >> 32 == 0 and value > 0xFFFF:  # IPv4-compatible ::a.b.c.d (deprecated)
        return ipaddress.IPv4Address(value)
    return None


def forbidden_address(address: IPAddress) -> bool:
    """Link-local or a cloud metadata address, directly or inside an IPv6 address."""
    inner = embedded_ipv4(address)
    return any(a.is_link_local or a in METADATA_ADDRESSES for a in (address, inner) if a)


@dataclass(frozen=True)
class Destination:
    """Where an attempt connects: ``url`` — with the checked address in place of the host when
    the host had to be resolved and checked — and the ``headers`` and ``extensions`` that keep
    the original host for HTTP (``Host``) and TLS (SNI and the certificate's name)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)


async def destination(
    url: str,
    *,
    livemode: bool,
    loopback_only: bool = False,
    resolve: Resolver | None = None,
) -> Destination | str:
    """Where an attempt to ``url`` connects, or why it must not start (a string).

    Test mode delivers anywhere, as given. Live mode refuses hosts that resolve to link-local
    or metadata addresses, and a platform set to ``loopback_only`` (the fuzz run) refuses
    everything but loopback; both then connect to the first address that was checked.
    """
    if not livemode and not loopback_only:
        return Destination(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    if loopback_only and not is_loopback(host):
        return f"refused: this platform delivers to loopback addresses only, not {host!r}"
    default_port = 443 if parts.scheme == "https" else 80
    lookup = resolve or _getaddrinfo
    try:
        infos = await lookup(host, parts.port or default_port)
    except OSError as err:
        return f"cannot resolve {host!r} ({err.strerror or err})"
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        return f"cannot resolve {host!r} (no address)"
    for address in addresses:
        if loopback_only and not address.is_loopback:
            return f"refused: this platform delivers to loopback addresses only, not {address}"
        if livemode and forbidden_address(address):
            return f"refused: {LIVE_REFUSAL} ({host} is {address})"
    return pinned(url, addresses[0])


def pinned(url: str, address: IPAddress) -> Destination:
    """``url`` sent to ``address``, keeping its host for the ``Host`` header and TLS."""
    parts = urlsplit(url)
    userinfo, _, host_header = parts.netloc.rpartition("@")
    shown = f"[{address}]" if address.version == 6 else str(address)
    netloc = (f"{userinfo}@" if userinfo else "") + shown
    netloc += "" if parts.port is None else f":{parts.port}"
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return Destination(urlunsplit(parts._replace(netloc=netloc)), {"Host": host_header}, extensions)


async def _getaddrinfo(host: str, port: int) -> list[Any]:
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
