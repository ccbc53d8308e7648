"""The platform's compact JSON (issue 25): orjson's bytes are ``json``'s compact, non-ASCII
text, and what orjson refuses is still written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cstar_cli.platform.encoding import dump, dump_text


def reference(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "obj",
    [
        {"success": True, "data": {"title": "Imprimante en feu — 🔥", "n": 3, "x": None}},
        {"data": [{"price": 12.5, "tags": ["a", "b"]}, {"nested": {"deep": [1, 2, 3]}}]},
        {"text": 'quotes " and \\ backslashes\nnew lines\t\u0001'},
        [],
    ],
)
def test_same_bytes_as_compact_json(obj: Any) -> None:
    assert dump(obj) == reference(obj)
    assert dump_text(obj) == reference(obj).decode()


def test_what_orjson_refuses_is_written_by_json() -> None:
    huge = {"n": 2**70, 1: "an integer key"}
    assert dump(huge) == reference(huge)
