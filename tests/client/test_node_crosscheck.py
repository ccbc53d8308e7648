"""Cross-check: bodies signed in Python verify with independent Node verifiers (node:crypto).

``node_verifier.mjs`` implements the documented X-Signature verifier and the launch post's
X-Cstar-Signature snippet from the docs alone. Node is part of this project's toolchain (CI
included), so a missing ``node`` is a failure, not a skip.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cstar_cli.client.signing import legacy_signature, sign_payload, verify_signature
from cstar_cli.wire import catalog

VERIFIER = Path(__file__).with_name("node_verifier.mjs")
SECRET = "whsec_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg"
NOW = 1_767_225_600

COMPACT = b'{"id":"evt_ticket_created_1767225600000_a1B2c3D4","type":"ticket.created"}'
# Non-ASCII text, tabs, CRLF, spaces before commas and a trailing newline: any normalisation
# (re-serialising, decoding as Latin-1, trimming) on either side would break the signature.
PRETTY = (
    '  {\r\n\t"type" :  "ticket.message_added" ,\n'
    '    "data": { "message": { "content": "Grüße aus Köln — ça marche? 日本語のチケット 🎉",\n'
    '\t\t"sender_name":"Zoë Ångström"  } } ,  "note":"\\u00e9 vs é"\n}\n\n'
).encode()
ENVELOPE = json.dumps(
    catalog.envelope(
        "boss.defeated",
        catalog.sample_data("boss.defeated", team_id="team_1", team_slug="acme", now=NOW),
        team_id="team_1",
        livemode=False,
        now=NOW,
    ),
    ensure_ascii=False,
    separators=(",", ":"),
).encode("utf-8")


def node() -> str:
    path = shutil.which("node")
    if path is None:
        pytest.fail(
            "`node` was not found on PATH. Node 20+ is required for the webhook cross-check "
            "(tests/webhooks/node_verifier.mjs); install it, e.g. from https://nodejs.org."
        )
    return path


def run_node(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    payload = [
        {
            "body_b64": base64.b64encode(c["body"]).decode("ascii"),
            "secret": c.get("secret", SECRET),
            "x_signature": c["x_signature"],
            "x_cstar_signature": c["x_cstar_signature"],
            "now": c.get("now", NOW),
            "t": c.get("t", NOW),
        }
        for c in cases
    ]
    proc = subprocess.run(
        [node(), str(VERIFIER)],
        input=json.dumps(payload).encode(),
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, f"node_verifier.mjs failed:\n{proc.stderr.decode()}"
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    assert len(results) == len(cases)
    return results


def signed(body: bytes, t: int = NOW - 5, secret: str = SECRET) -> dict[str, Any]:
    return {
        "body": body,
        "secret": secret,
        "t": t,
        "x_signature": sign_payload(body, secret, t),
        "x_cstar_signature": legacy_signature(body, secret),
    }


def test_node_verifies_what_python_signs_and_rejects_tampering_and_stale_timestamps() -> None:
    bodies = [COMPACT, PRETTY, ENVELOPE]
    good = [signed(body) for body in bodies]
    tampered = [
        {**signed(PRETTY), "body": PRETTY.replace("Köln".encode(), b"Koln")},
        {**signed(COMPACT), "body": COMPACT + b" "},
        {**signed(ENVELOPE), "body": ENVELOPE.replace(b'"livemode":false', b'"livemode":true')},
    ]
    wrong_secret = [{**signed(COMPACT, secret=SECRET + "x"), "secret": SECRET}]
    stale = [signed(PRETTY, t=NOW - 301), signed(COMPACT, t=NOW - 3600)]
    future = [signed(PRETTY, t=NOW + 301)]
    edge = [signed(PRETTY, t=NOW - 300), signed(PRETTY, t=NOW + 300)]
    cases = good + tampered + wrong_secret + stale + future + edge

    results = run_node(cases)

    for case, result in zip(cases, results, strict=True):
        # Node signs each body byte-for-byte like Python does.
        assert result["node_header"] == sign_payload(case["body"], case["secret"], case["t"])
        # And Python agrees with Node on every verdict.
        python_ok = verify_signature(case["body"], case["x_signature"], case["secret"], now=NOW)
        assert result["documented"]["ok"] is python_ok

    for result in results[:3] + results[-2:]:
        assert result["documented"] == {"ok": True, "reason": None}
    for result in results[:3]:
        assert result["launch_post"] is True
    for result in results[3:7]:
        assert result["documented"] == {"ok": False, "reason": "signature_mismatch"}
        assert result["launch_post"] is False
    for result in results[7:10]:
        assert result["documented"] == {"ok": False, "reason": "timestamp_outside_tolerance"}
        assert result["launch_post"] is True  # that form has no timestamp to go stale


def test_python_headers_parse_in_node_even_with_several_v1_signatures() -> None:
    header = sign_payload(PRETTY, SECRET, NOW)
    rotated = f"{sign_payload(PRETTY, 'whsec_old', NOW)},{header.split(',')[1]}"
    cases = [
        {**signed(PRETTY, t=NOW), "x_signature": rotated},
        {**signed(PRETTY, t=NOW), "x_signature": "v1=" + header.split("v1=")[1]},
    ]

    first, second = run_node(cases)

    assert first["documented"]["ok"] is True
    assert verify_signature(PRETTY, rotated, SECRET, now=NOW)
    assert second["documented"] == {"ok": False, "reason": "malformed_header"}


def test_a_missing_node_fails_loudly_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="`node` was not found"):
        node()
