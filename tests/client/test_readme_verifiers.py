"""The README's verifiers without our library — Node (`node:crypto`) and plain Python (`hmac`) —
run as printed there, against signatures made by the code the platform signs deliveries with.

They accept a good signature over the raw bytes (non-ASCII included), and refuse a changed
body, a secret without its `whsec_` prefix, a stale or future timestamp and a malformed header.
Node is part of the toolchain (see test_node_crosscheck.py): a missing `node` fails.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cstar_cli.client.signing import sign_payload

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = "whsec_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg"
NOW = 1_767_225_600
BODY = '{"id":"evt_1","data":{"title":"Grüße aus Köln 日本語 🎉"}}\n'.encode()

# (body, header, secret, now) → the verdict the README's verifiers must give
CASES: list[tuple[str, bytes, str, str, int, bool]] = [
    ("good", BODY, sign_payload(BODY, SECRET, NOW - 10), SECRET, NOW, True),
    ("good, spaced", BODY, sign_payload(BODY, SECRET, NOW).replace(",", " , "), SECRET, NOW, True),
    ("changed body", BODY + b" ", sign_payload(BODY, SECRET, NOW), SECRET, NOW, False),
    ("prefix stripped", BODY, sign_payload(BODY, SECRET, NOW), SECRET[6:], NOW, False),
    ("stale", BODY, sign_payload(BODY, SECRET, NOW - 301), SECRET, NOW, False),
    ("future", BODY, sign_payload(BODY, SECRET, NOW + 301), SECRET, NOW, False),
    ("edge of tolerance", BODY, sign_payload(BODY, SECRET, NOW - 300), SECRET, NOW, True),
    ("no timestamp", BODY, "v1=" + "0" * 64, SECRET, NOW, False),
    ("empty", BODY, "", SECRET, NOW, False),
]
IDS = [case[0] for case in CASES]


def readme_block(language: str, containing: str) -> str:
    """The README's fenced ``language`` block that contains ``containing``."""
    blocks = re.findall(rf"```{language}\n(.*?)```", README.read_text(), re.DOTALL)
    found = [block for block in blocks if containing in block]
    assert len(found) == 1, f"the README has {len(found)} {language} blocks with {containing!r}"
    return found[0]


@pytest.fixture(scope="module")
def python_verifier() -> Callable[..., bool]:
    namespace: dict[str, Any] = {}
    exec(readme_block("python", "def verify_cstar_signature"), namespace)  # noqa: S102
    verify: Callable[..., bool] = namespace["verify_cstar_signature"]
    return verify


@pytest.fixture(scope="module")
def node_verdicts(tmp_path_factory: pytest.TempPathFactory) -> list[bool]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` was not found on PATH; Node 20+ is required for this check.")
    folder = tmp_path_factory.mktemp("readme-node")
    (folder / "verify-cstar.mjs").write_text(
        readme_block("js", "export function verifyCstarSignature")
    )
    (folder / "run.mjs").write_text(
        'import { verifyCstarSignature } from "./verify-cstar.mjs";\n'
        "const chunks = [];\n"
        "for await (const chunk of process.stdin) chunks.push(chunk);\n"
        "const cases = JSON.parse(Buffer.concat(chunks).toString());\n"
        "process.stdout.write(JSON.stringify(cases.map((c) =>\n"
        '  verifyCstarSignature(Buffer.from(c.body, "base64"), c.header, c.secret, c.now))));\n'
    )
    cases = [
        {"body": base64.b64encode(body).decode(), "header": header, "secret": secret, "now": now}
        for _, body, header, secret, now, _ in CASES
    ]
    done = subprocess.run(
        [node, str(folder / "run.mjs")],
        input=json.dumps(cases).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    verdicts: list[bool] = json.loads(done.stdout)
    return verdicts


@pytest.mark.parametrize(("name", "body", "header", "secret", "now", "ok"), CASES, ids=IDS)
def test_the_readme_python_verifier(
    python_verifier: Callable[..., bool],
    name: str,
    body: bytes,
    header: str,
    secret: str,
    now: int,
    ok: bool,
) -> None:
    assert python_verifier(body, header, secret, now) is ok


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_the_readme_node_verifier(node_verdicts: list[bool], index: int) -> None:
    assert node_verdicts[index] is CASES[index][5]
