"""What ``cstar listen --forward-to`` accepts: a target, optionally behind event patterns.

``3000`` → ``http://localhost:3000``; ``/hooks`` → ``http://localhost/hooks``;
``3000/hooks`` and ``localhost:3000/hooks`` → ``http://localhost:3000/hooks``; URLs as they
are. A value that
starts with event patterns and ``=`` is a route: ``'boss.*,player.*=localhost:4000/game'``
forwards only those events there. Everything is checked before anything connects.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cstar_cli.wire import catalog

ACCEPTED_FORMS = (
    "Use a port (3000), a path (/webhooks), both (3000/webhooks), host:port/path "
    "(localhost:3000/webhooks) or an http(s) URL, optionally behind event patterns: "
    "'ticket.*,boss.spawned=localhost:3000/hooks'."
)
_PATTERN = re.compile(r"^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$")
_LABEL = r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.?$")
_PORT_PATH = re.compile(r"^(\d+)([/?#].*)$")


class InvalidForwardTarget(ValueError):
    """``--forward-to`` is not something we can POST to: the ``value`` given and the
    ``problem`` with it, which follows the value in the message (``" is not a place…"``)."""

    def __init__(self, value: str, problem: str) -> None:
        super().__init__(f"--forward-to {value!r}{problem}")
        self.value = value
        self.problem = problem


@dataclass(frozen=True)
class Route:
    """Where a route forwards and which events it takes (``("*",)``: every event)."""

    target: str
    patterns: tuple[str, ...] = ("*",)

    @property
    def label(self) -> str:
        return ", ".join(self.patterns)


def parse_route(value: str) -> Route:
    """A ``--forward-to`` value as a :class:`Route`; raises :class:`InvalidForwardTarget`."""
    text = value.strip()
    head, sep, rest = text.partition("=")
    items = [item.strip() for item in head.split(",")]
    if sep and all(_PATTERN.match(item) for item in items):
        try:
            patterns = catalog.validate_patterns(items)
        except ValueError as err:
            raise InvalidForwardTarget(value, f": {err}") from None
        return Route(parse_forward_to(rest), ("*",) if "*" in patterns else tuple(patterns))
    return Route(parse_forward_to(text))


def parse_forward_to(value: str) -> str:
    """A target as a full URL; raises :class:`InvalidForwardTarget` naming what is wrong."""
    text = value.strip()
    if not text:
        raise _invalid(value, "it is empty")
    if text.isdigit():
        return f"http://localhost:{_port(value, text)}"
    port_path = _PORT_PATH.match(text)
    if port_path:  # 3000/webhooks
        return f"http://localhost:{_port(value, port_path[1])}{port_path[2]}"
    if text.startswith("/"):
        return f"http://localhost{text}"
    if "://" not in text:
        text = "http://" + text  # localhost:3000/hooks, example.test/hooks
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise _invalid(value, f"the scheme {parts.scheme!r} is not http or https")
    hostport = parts.netloc.rsplit("@", 1)[-1]
    if not parts.hostname:
        raise _invalid(value, "it has no host")
    if not _valid_host(parts.hostname):
        raise _invalid(value, f"{parts.hostname!r} is not a host name or IP address")
    if hostport.endswith(":"):
        raise _invalid(value, "it has ':' but no port after it")
    port = hostport.rsplit("]", 1)[-1].rpartition(":")[2] if ":" in hostport else ""
    if port:
        _port(value, port)
    try:
        _ = parts.port
    except ValueError:
        raise _invalid(value, f"{hostport!r} is not host:port") from None
    return text


def _port(value: str, text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise _invalid(value, f"{text!r} is not a port (1-65535)")
    return int(text)


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOSTNAME.match(host)) and not host.replace(".", "").isdigit()


def _invalid(value: str, reason: str) -> InvalidForwardTarget:
    return InvalidForwardTarget(value, f" is not a place to forward to: {reason}.")
