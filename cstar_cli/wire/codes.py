"""Websocket close codes of the platform's streams (listen relay, log stream; D15, D17, D28)."""

from __future__ import annotations

CLOSE_INVALID = 4400  # a malformed hello or filter: fix it, don't retry as is
CLOSE_AUTH = 4401  # the key is refused, revoked or expired (the reason says which)
CLOSE_GONE = 4404  # no such session (open it again)
CLOSE_REPLACED = 4409  # a newer `cstar listen` took the session over
