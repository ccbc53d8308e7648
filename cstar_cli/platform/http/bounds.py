"""Input bounds (D32): what a request may carry, checked before any route sees it.

Bodies are strict UTF-8 JSON: no NaN or Infinity (``1e999`` included), integers of at most
4,300 digits, nesting of at most 32 levels; anything else is 400 ``invalid_json``. Query values
are at most ``MAX_QUERY_VALUE`` characters. ``metadata`` objects (and ``customFields``) hold at
most 50 keys, nest at most 5 levels and serialise to at most 16 KiB. None of these answers is
kept for idempotent replay: the gateway checks them before it looks at the Idempotency-Key.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qsl

from cstar_cli.platform.http.errors import ApiError

MAX_DEPTH = 32
MAX_QUERY_VALUE = 4096
MAX_PAGE = 10_000
MAX_SEARCH = 200
METADATA_DEPTH = 5
METADATA_BYTES = 16 * 1024
UTF8 = ("utf-8", "utf8")
MAX_POSITION = 2**63 - 1
"""The largest stream position a client may name (SQLite's largest integer)."""


def _bad_json(reason: str) -> ApiError:
    return ApiError(400, "invalid_json", f"The request body is not valid JSON: {reason}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a JSON number")
    return value


def parse_body(body: bytes, content_type: str | None) -> Any:
    """The decoded JSON body, or a 400 ``invalid_json`` saying what is wrong with it."""
    charset = _charset(content_type)
    if charset is not None and charset not in UTF8:
        raise _bad_json(f"bodies are UTF-8, not charset={charset}.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _bad_json(f"invalid UTF-8 at byte {err.start}.") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    except RecursionError:
        raise _bad_json(f"nested deeper than {MAX_DEPTH} levels.") from None
    except ValueError as err:  # JSONDecodeError, NaN/Infinity, integers over 4,300 digits
        raise _bad_json(f"{err}.") from None
    if depth(value) > MAX_DEPTH:
        raise _bad_json(f"nested deeper than {MAX_DEPTH} levels.")
    return value


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def depth(value: Any) -> int:
    """How deeply ``value`` nests (a scalar is 0, ``{}`` is 1), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def check_query(query_string: bytes) -> None:
    """400 ``parameter_invalid`` for a query value longer than ``MAX_QUERY_VALUE``."""
    if len(query_string) <= MAX_QUERY_VALUE:
        return
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if len(value) > MAX_QUERY_VALUE:
            raise ApiError.invalid(
                f"'{name[:40]}' is longer than {MAX_QUERY_VALUE} characters.", param=name[:100]
            )


def check_metadata(value: dict[str, Any]) -> dict[str, Any]:
    """A pydantic validator for ``metadata``: at most 5 levels, 16 KiB serialised."""
    if depth(value) > METADATA_DEPTH:
        raise ValueError(f"metadata nests deeper than {METADATA_DEPTH} levels")
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    if size > METADATA_BYTES:
        raise ValueError(f"metadata is {size} bytes serialised, over {METADATA_BYTES}")
    return value


def position(value: Any, param: str) -> int:
    """A stream position a client's hello names (``after``: the last ``seq`` it saw): a whole
    number from 0 to :data:`MAX_POSITION`. Anything else — text, a fraction, ``NaN``,
    ``Infinity``, ``true``, a number past that — is a 400 ``parameter_invalid`` naming ``param``,
    which the stream answers with an ``error`` frame and close code 4400, never a traceback."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POSITION:
        shown = json.dumps(value)  # Infinity and NaN as JSON spells them
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise ApiError.invalid(
            f"'{param}' must be a whole number from 0 to {MAX_POSITION} (the seq of the last "
            f"entry you saw), not {shown}.",
            param=param,
        )
    return value
