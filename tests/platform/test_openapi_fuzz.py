"""schemathesis against /openapi.json: no server errors and no answer outside the document.

Property-based: schemathesis generates requests from the OpenAPI document (its examples,
boundary and out-of-bounds "coverage" values, then hypothesis fuzzing with valid and invalid
data, then stateful sequences that feed created ids into later calls) and checks every answer.

``CSTAR_FUZZ_EXAMPLES`` is the number of generated cases to reach (default 400, the quick
variant in the default suite); ``CSTAR_FUZZ_EXAMPLES=5000 pytest tests/platform/test_openapi_fuzz.py
-s`` is the long run and prints its figures.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cstar_cli.platform.http.openapi import STREAMS, SUCCESS
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings

TARGET = int(os.environ.get("CSTAR_FUZZ_EXAMPLES", "400"))
PUBLISHABLE_SHARE = 0.2  # of the cases go to a publishable key (D23 scope)
CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
    ]
)


EXCLUDED = r"keys/\{keyId\}|/realtime$|/test-helpers/"
"""Paths the fuzzer leaves alone: revoking or rolling its own key would make the rest of the run
401s (the keys API has its own tests); a stream never ends (tests/platform/test_realtime.py);
the test helpers — faults (D38), reset, import, the clock — would turn its findings into noise
(tests/platform/test_faults.py, test_reset.py… test them)."""


def fuzzed(path: str) -> bool:
    return re.search(EXCLUDED, path) is None


def settings(db: Path) -> PlatformSettings:
    # The fuzzer creates webhooks to whatever URLs it likes: deliver to loopback only.
    return PlatformSettings(
        db_path=str(db), enforce_rate_limits=False, loopback_deliveries_only=True
    )


def test_openapi_document_describes_every_route() -> None:
    with PlatformThread(settings(Path(":memory:"))) as server:
        doc = httpx.get(f"{server.api_base}/openapi.json").json()
    operations = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert ("POST", "/api/v1/teams/{teamId}/tickets") in operations
    assert ("GET", "/api/v1/auth/whoami") in operations
    assert operations == {(method.upper(), path) for method, path in {**SUCCESS, **STREAMS}}
    for (_method, _path), responses in (
        ((m, p), op["responses"]) for p, item in doc["paths"].items() for m, op in item.items()
    ):
        assert "422" not in responses
        assert {"400", "401", "403", "429", "500"} <= set(responses)
    tickets = doc["paths"]["/api/v1/teams/{teamId}/tickets"]
    assert tickets["get"]["x-cstar-access"] == "portal"
    assert "x-cstar-access" not in doc["paths"]["/api/v1/teams/{teamId}/customers"]["get"]
    page = next(p for p in tickets["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 10_000


def test_the_fuzzer_leaves_the_test_helpers_alone() -> None:
    helpers = {path for _method, path in SUCCESS if "/test-helpers/" in path}
    assert "/api/v1/teams/{teamId}/test-helpers/faults" in helpers
    assert "/api/v1/teams/{teamId}/test-helpers/reset" in helpers
    assert not any(fuzzed(path) for path in helpers)
    assert fuzzed("/api/v1/teams/{teamId}/tickets")
    assert fuzzed("/api/v1/teams/{teamId}/webhooks/{webhookId}/deliveries")


def run_schemathesis(
    server: PlatformThread, key: str, cases: int, tmp_path: Path, label: str
) -> tuple[int, int, str]:
    """Run schemathesis with ``key`` for about ``cases`` cases; ``(generated, passed, output)``."""
    operations = sum(fuzzed(path) for _method, path in SUCCESS)  # the streams are left out
    config = tmp_path / f"schemathesis-{label}.toml"
    team = server.keys.team_id
    config.write_text(f'[parameters]\n"path.teamId" = "{team}"\n"path.teamSlugOrId" = "{team}"\n')
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{server.api_base}/openapi.json",
        "-H",
        f"Authorization: Bearer {key}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(max(3, math.ceil(cases / operations))),
        "--seed",
        "20261129",
        "--exclude-path-regex",
        EXCLUDED,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    match = re.search(r"(\d+) generated, (\d+) passed", output)
    assert match is not None, output[-2000:]
    return int(match.group(1)), int(match.group(2)), output


@pytest.mark.slow
@pytest.mark.timeout(900)  # a hang guard only: schemathesis alone takes a minute or two
def test_schemathesis_finds_no_server_errors_or_schema_violations(tmp_path: Path) -> None:
    with PlatformThread(settings(tmp_path / "fuzz.db")) as server:
        secret_cases = round(TARGET * (1 - PUBLISHABLE_SHARE))
        runs = [
            run_schemathesis(server, server.keys.secret_key, secret_cases, tmp_path, "secret"),
            run_schemathesis(
                server, server.keys.publishable_key, TARGET - secret_cases, tmp_path, "public"
            ),
        ]
        with httpx.Client(base_url=server.api_base, timeout=10) as probe:
            health = probe.get("/healthz")
    generated = sum(run[0] for run in runs)
    passed = sum(run[1] for run in runs)
    print(  # the figure to quote: pytest -s shows it
        f"\nfuzz: {generated} cases generated ({runs[0][0]} secret key, {runs[1][0]} "
        f"publishable key), {passed} passed, {generated - passed} failed"
    )
    assert health.status_code == 200
    assert generated >= TARGET, [run[2][-2000:] for run in runs]
    assert passed == generated, [run[2][-4000:] for run in runs]
