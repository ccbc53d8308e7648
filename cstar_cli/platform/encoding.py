"""Compact JSON for what the platform sends (issue 25): orjson when it can, ``json`` otherwise.

The envelope (D3) and the relay's frames are the platform's hottest encodings; orjson writes the
same compact, non-ASCII-escaped text as ``json.dumps(obj, separators=(",", ":"),
ensure_ascii=False)`` ~10× faster. Whatever orjson refuses (an integer past 64 bits, a key that
is not a string) is written by ``json`` as before. Stored event payloads keep ``json``: they are
delivered byte for byte as first written (D11).
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dump(obj: Any) -> bytes:
    """``obj`` as compact UTF-8 JSON."""
    try:
        return orjson.dumps(obj)
    except TypeError:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def dump_text(obj: Any) -> str:
    """:func:`dump` as text (a websocket text frame)."""
    return dump(obj).decode()
