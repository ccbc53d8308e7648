"""schemathesis against /openapi.json: no server errors and no answer outside the document."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from cstar_cli.server.openapi import SUCCESS
from cstar_cli.server.runner import PlatformThread
from cstar_cli.server.settings import PlatformSettings

# CI runs at least 300 generated cases; CSTAR_FUZZ_EXAMPLES=200 (say) runs many more by hand.
EXAMPLES = int(os.environ.get("CSTAR_FUZZ_EXAMPLES", "15"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
    ]
)


def test_openapi_document_describes_every_route() -> None:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as server:
        doc = httpx.get(f"{server.api_base}/openapi.json").json()
    operations = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert ("POST", "/api/v1/teams/{teamId}/tickets") in operations
    assert ("GET", "/api/v1/auth/whoami") in operations
    assert operations == {(method.upper(), path) for method, path in SUCCESS}
    for (_method, _path), responses in (
        ((m, p), op["responses"]) for p, item in doc["paths"].items() for m, op in item.items()
    ):
        assert "422" not in responses
        assert {"400", "401", "403", "429", "500"} <= set(responses)


def test_schemathesis_finds_no_server_errors_or_schema_violations(tmp_path: Path) -> None:
    settings = PlatformSettings(db_path=str(tmp_path / "fuzz.db"), enforce_rate_limits=False)
    with PlatformThread(settings) as server:
        config = tmp_path / "schemathesis.toml"
        config.write_text(f'[parameters]\n"path.teamId" = "{server.keys.team_id}"\n')
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config),
            "--no-color",
            "run",
            f"{server.api_base}/openapi.json",
            "-H",
            f"Authorization: Bearer {server.keys.secret_key}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "20261129",
            # Revoking or rolling the fuzzer's own key would only make the rest of the run 401s;
            # the keys API has its own tests.
            "--exclude-path-regex",
            r"keys/\{keyId\}",
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    match = re.search(r"(\d+) generated, (\d+) passed", output)
    assert match is not None, output[-2000:]
    generated, passed = int(match.group(1)), int(match.group(2))
    assert generated >= 300, output[-2000:]
    assert passed == generated, output[-4000:]
