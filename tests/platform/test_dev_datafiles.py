"""Data files when a platform starts and stops (D34, D35): ``cstar dev --seed``, ``--import``,
``--export-on-exit`` and ``cstar dev exec --seed``, as processes of their own."""

from __future__ import annotations

import json
import shlex
import signal
from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import CSTAR, cstar_dev, run_cstar

CSTAR_IN_SH = " ".join(shlex.quote(part) for part in CSTAR)
SEED = {
    "cstarData": 1,
    "customers": [{"name": "Ada", "email": "ada@x.test"}],
    "tickets": [
        {"title": "Printer on fire", "customerId": "ada@x.test", "assignedTo": "grace@example.com"},
        {"title": "Paper jam", "messages": [{"content": "Again", "sender": "customer"}]},
    ],
}


def seed_file(tmp_path: Path, document: Any = SEED, name: str = "seed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_exec_seed_gives_cmd_the_seeded_data(tmp_path: Path) -> None:
    seed = seed_file(tmp_path)
    script = f"{CSTAR_IN_SH} tickets list --json"
    run = run_cstar("dev", "exec", "--seed", str(seed), "--", "sh", "-c", script, timeout=120)
    assert run.returncode == 0, run.stderr
    tickets = json.loads(run.stdout)
    assert sorted(t["title"] for t in tickets) == ["Paper jam", "Printer on fire"]
    [fire] = [t for t in tickets if t["title"] == "Printer on fire"]
    assert fire["customerName"] == "Ada" and fire["assignedTo"].startswith("mem_")


def test_exec_with_a_bad_seed_runs_nothing_and_exits_2(tmp_path: Path) -> None:
    bad = {**SEED, "tickets": [SEED["tickets"][0], {"title": "x", "customerId": "zed@x.test"}]}
    marker = tmp_path / "ran"
    said = []
    for path in (seed_file(tmp_path, bad, "bad.json"), tmp_path / "missing.json"):
        run = run_cstar("dev", "exec", "--seed", str(path), "--", "touch", str(marker), timeout=120)
        assert run.returncode == 2, run.stderr
        assert str(path) in run.stderr and "Traceback" not in run.stderr
        assert not marker.exists()
        said.append(run.stderr)
    assert "tickets[1].customerId" in said[0] and "cannot read it" in said[1]


def tickets(ready: dict[str, Any]) -> list[str]:
    url = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}/tickets"
    answer = httpx.get(url, headers={"Authorization": f"Bearer {ready['secretKey']}"}, timeout=10)
    return sorted(t["title"] for t in answer.json()["data"])


def stop(proc: Any, sig: signal.Signals = signal.SIGTERM) -> str:
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return str(err)


def test_seed_import_and_export_on_exit_across_restarts(tmp_path: Path) -> None:
    db, seed, out = str(tmp_path / "dev.db"), seed_file(tmp_path), tmp_path / "out.json"
    with cstar_dev("--db", db, "--seed", str(seed), "--export-on-exit", str(out)) as (proc, ready):
        assert tickets(ready) == ["Paper jam", "Printer on fire"]
        url = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}/tickets"
        headers = {"Authorization": f"Bearer {ready['secretKey']}"}
        httpx.post(url, json={"title": "Made by hand"}, headers=headers, timeout=10)
        err = stop(proc)
    assert "Seeded the test environment from" in err and "2 tickets" in err
    assert f"Wrote the test environment's data to {out}" in err
    snapshot = out.read_text()
    assert len(json.loads(snapshot)["tickets"]) == 3
    # not empty any more: the seed is left alone, with a notice
    with cstar_dev("--db", db, "--seed", str(seed)) as (proc, ready):
        assert len(tickets(ready)) == 3
        err = stop(proc, signal.SIGINT)
    assert "Not seeding from" in err and "--import" in err
    # --import replaces the data; written again on exit, it is the same bytes
    again = tmp_path / "again.json"
    with cstar_dev("--db", db, "--import", str(seed), "--export-on-exit", str(again)) as (
        proc,
        ready,
    ):
        assert tickets(ready) == ["Paper jam", "Printer on fire"]
        stop(proc)
    with cstar_dev("--db", db, "--import", str(out), "--export-on-exit", str(again)) as (
        proc,
        ready,
    ):
        stop(proc)
    assert again.read_text() == snapshot


def test_a_bad_import_stops_the_start_and_changes_nothing(tmp_path: Path) -> None:
    db, seed = str(tmp_path / "dev.db"), seed_file(tmp_path)
    with cstar_dev("--db", db, "--seed", str(seed)) as (proc, _ready):
        stop(proc)
    bad = seed_file(tmp_path, {"cstarData": 1, "tickets": [{"title": ""}]}, "bad.json")
    run = run_cstar("dev", "--port", "0", "--db", db, "--import", str(bad), timeout=60)
    assert run.returncode == 2 and "tickets[0].title" in run.stderr and str(bad) in run.stderr
    with cstar_dev("--db", db) as (proc, ready):
        assert tickets(ready) == ["Paper jam", "Printer on fire"]
        stop(proc)
