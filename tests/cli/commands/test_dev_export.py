"""``cstar dev export FILE`` (D34): the local platform's test data as a data file, the same
bytes the API gives; a local platform and a test key only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.cli import CliFn, assert_clean_error
from tests.support.platforms import platform_of_its_own


@pytest.fixture
def local(cli: CliFn) -> Iterator[PlatformThread]:
    """A platform of the test's own, the default profile logged in to it, with data in it."""
    with platform_of_its_own(cli) as server:
        run = cli("customers", "create", "--name", "Ada", "--email", "ada@x.test")
        assert run.exit_code == 0, run.output
        assert cli("tickets", "create", "--title", "Printer on fire").exit_code == 0
        yield server


def api_export(server: PlatformThread) -> str:
    headers = {"Authorization": f"Bearer {server.keys.secret_key}"}
    url = f"{server.api_base}/api/v1/teams/{server.keys.team_id}/test-helpers/export"
    return httpx.get(url, headers=headers, timeout=10).text


def test_it_writes_the_api_export_to_a_file_or_stdout(
    cli: CliFn, local: PlatformThread, tmp_path: Path
) -> None:
    target = tmp_path / "snapshot.json"
    run = cli("dev", "export", str(target))
    assert run.exit_code == 0, run.output
    assert target.read_text() == api_export(local)
    assert f"to {target} (1 customer, 1 ticket, 4 SLA rules)" in run.stderr
    assert run.stdout == ""
    piped = cli("dev", "export", "-")
    assert piped.exit_code == 0, piped.output
    assert piped.stdout == target.read_text()
    assert [t["title"] for t in json.loads(piped.stdout)["tickets"]] == ["Printer on fire"]


def test_it_refuses_what_is_not_a_local_test_environment(
    cli: CliFn, local: PlatformThread, tmp_path: Path
) -> None:
    target = str(tmp_path / "out.json")
    elsewhere = cli("dev", "export", target, "--api-base", "https://www.cstar.help")
    assert_clean_error(elsewhere, 2, "for a local platform only", "https://www.cstar.help")
    live = cli("dev", "export", target, "--api-key", local.keys.live_secret_key)
    assert_clean_error(live, 2, "live key", "sk_test_")
    nowhere = cli("dev", "export", str(tmp_path / "missing" / "out.json"))
    assert_clean_error(nowhere, 2, "does not exist")
    assert not (tmp_path / "out.json").exists()
