"""The protocol's fixed facts, shared by the client, ``cstar listen``, the MCP server and the
platform: versions, where the hosted API lives, who says they are calling, and how much of an
endpoint's answer is read and kept."""

from __future__ import annotations

from cstar_cli import __version__

API_VERSION = "2026-03-01"
"""Sent as ``CStar-Version`` on every request; the version the platform answers by default."""
DEFAULT_API_BASE = "https://www.cstar.help"
"""The hosted API, used when neither a flag, the environment nor a profile names another."""
PROTOCOL_VERSION = 2
"""The relay protocol ``cstar listen`` and the platform speak over the listen websocket (D14)."""

CLI_AGENT = "cstar-cli"
MCP_AGENT = "cstar-mcp"
CLI_USER_AGENT = f"{CLI_AGENT}/{__version__}"
"""The client's ``User-Agent`` (the platform logs its requests with ``source=cli``, D17)."""
MCP_USER_AGENT = f"{MCP_AGENT}/{__version__}"
"""Sent on every API call the MCP server makes, so they are logged with ``source=mcp`` (D17)."""
INSPECTOR_USER_AGENT = "Mozilla/5.0 (cstar inspector)"
"""What the local inspector's buttons send: logged as ``dashboard`` (D17), audited as
``inspector`` (D42)."""
WEBHOOK_USER_AGENT = "cStar-Webhooks/1.0"
"""The ``User-Agent`` of webhook deliveries, from the platform and from ``cstar listen`` (D13)."""

MAX_ANSWER_BYTES = 64 * 1024
"""At most this much of an endpoint's answer to a delivery is read (D29)."""
SNIPPET_BYTES = 2048
"""How much of that answer's body is kept with the delivery attempt (D13)."""
