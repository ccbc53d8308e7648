"""`cstar dev` and `cstar dev exec` in a project whose `cstar.toml` has a [dev] table (D40, D35),
as processes of their own started in a folder below the file."""

from __future__ import annotations

import json
import shlex
import signal
from pathlib import Path

import httpx
import pytest

from tests.platform.test_dev_datafiles import seed_file, tickets
from tests.support.processes import CSTAR, cstar_process, run_cstar
from tests.support.projects import in_project
from tests.support.waiting import free_port

CSTAR_IN_SH = " ".join(shlex.quote(part) for part in CSTAR)


def test_dev_takes_port_db_seed_and_origins_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = in_project(
        tmp_path,
        monkeypatch,
        """\
        [dev]
        port = 0
        db = ".cstar/dev.db"
        seed = "fixtures/seed.json"
        cors-origin = ["http://localhost:5173"]
        """,
    )
    project = path.parent
    (project / "fixtures").mkdir()
    seed_file(project / "fixtures")
    with cstar_process("dev", "--json") as proc:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert not ready["apiBase"].endswith(":8642")  # port 0: a free one
        assert tickets(ready) == ["Paper jam", "Printer on fire"]
        url = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}/tickets"
        auth = {"Authorization": f"Bearer {ready['secretKey']}"}
        mine = httpx.get(url, headers={**auth, "Origin": "http://localhost:5173"}, timeout=10)
        other = httpx.get(url, headers={**auth, "Origin": "http://elsewhere.test"}, timeout=10)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert (mine.status_code, other.status_code) == (200, 403)
    assert (project / ".cstar" / "dev.db").exists()  # by the file, not where cstar ran
    assert not Path(".cstar").exists()
    assert f"Using [dev] port, db, seed, cors-origin from {path}." in err


def test_dev_exec_takes_the_seed_but_never_the_port_or_the_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    text = f'[dev]\nport = {port}\ndb = "never.db"\nseed = "fixtures/seed.json"\n'
    path = in_project(tmp_path, monkeypatch, text)
    (path.parent / "fixtures").mkdir()
    seed_file(path.parent / "fixtures")
    script = f"{CSTAR_IN_SH} tickets list --json && echo $CSTAR_API_BASE >&2"
    run = run_cstar("dev", "exec", "--", "sh", "-c", script, timeout=120)
    assert run.returncode == 0, run.stderr
    titles = sorted(ticket["title"] for ticket in json.loads(run.stdout))
    assert titles == ["Paper jam", "Printer on fire"]
    assert not run.stderr.split()[-1].endswith(f":{port}")
    assert not (path.parent / "never.db").exists()
    assert f"Using [dev] seed from {path}." in run.stderr
