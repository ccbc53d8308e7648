"""``cstar dev`` as a user runs it: a real process, a ready line, signals, restarts and kills."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import cstar_dev, cstar_dev_for_a_person, run_cstar
from tests.support.waiting import eventually


def test_ready_line_has_everything_to_log_in(tmp_path: Path) -> None:
    with cstar_dev("--db", str(tmp_path / "dev.db")) as (_, ready):
        assert set(ready) >= {
            "apiBase",
            "teamId",
            "secretKey",
            "publishableKey",
            "liveSecretKey",
            "livePublishableKey",
        }
        assert ready["secretKey"].startswith("sk_test_")
        assert ready["livePublishableKey"].startswith("pk_live_")
        whoami = httpx.get(
            f"{ready['apiBase']}/api/v1/auth/whoami",
            headers={"Authorization": f"Bearer {ready['liveSecretKey']}"},
        ).json()["data"]
        assert whoami == {**whoami, "teamId": ready["teamId"], "environment": "live"}


def test_plain_ready_output_tells_how_to_log_in() -> None:
    run = cstar_dev_for_a_person()
    assert run.returncode == 0, run.stderr
    assert "cstar login --api-base http://127.0.0.1:" in run.stdout
    assert "--api-key sk_test_" in run.stdout
    assert "Traceback" not in run.stderr


def test_second_start_reuses_team_and_keys(tmp_path: Path) -> None:
    db = tmp_path / "dev.db"
    with cstar_dev("--db", str(db)) as (_, first):
        pass
    keys_file = tmp_path / "dev.keys.json"
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    with cstar_dev("--db", str(db)) as (_, second):
        assert second["teamId"] == first["teamId"]
        assert second["secretKey"] == first["secretKey"]


def test_sigterm_and_sigint_stop_cleanly_with_exit_0() -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        with cstar_dev("--db", ":memory:") as (proc, _):
            proc.send_signal(sig)
            assert proc.wait(timeout=10) == 0
            assert proc.stderr is not None
            assert "Traceback" not in proc.stderr.read()


def test_binding_beyond_loopback_warns(tmp_path: Path) -> None:
    with cstar_dev("--db", ":memory:", "--host", "0.0.0.0") as (proc, ready):
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert proc.stderr is not None
        assert "Warning: binding to 0.0.0.0" in proc.stderr.read()
        assert ready["apiBase"].startswith("http://0.0.0.0:")


def test_a_second_cstar_dev_on_a_busy_port_names_the_first_and_what_to_do() -> None:
    """Two processes: the second is told which cstar dev holds the port (pid, start time, from
    its announcement) and offered --port 0 or `cstar login` to the running one (exit 2)."""
    with cstar_dev("--db", ":memory:") as (first, ready):
        port = ready["apiBase"].rsplit(":", 1)[1]
        result = run_cstar("dev", "--port", port, "--db", ":memory:", timeout=20)
        still = httpx.get(f"{ready['apiBase']}/healthz", timeout=5)
    assert result.returncode == 2
    said = " ".join(result.stderr.split())
    assert f"Cannot start the platform on 127.0.0.1:{port}" in said
    assert f"another cstar dev (pid {first.pid}, started " in said
    assert f"UTC) is serving 127.0.0.1:{port}." in said
    assert "--port 0" in said and "`cstar login`" in said
    assert "Traceback" not in result.stderr
    assert still.status_code == 200, "the first one serves on"


def test_the_portal_example_beside_a_running_cstar_dev(tmp_path: Path) -> None:
    """examples/portal followed as written while a cstar dev already runs: the README's pipe
    (``--port 0``) starts beside it; the old one (the busy port) fails with both sides saying
    why — never serve.py asking for the pipe it was given."""
    serve = Path(__file__).parents[2] / "examples" / "portal" / "serve.py"
    python = shlex.quote(sys.executable)
    with cstar_dev("--db", ":memory:") as (first, ready):
        port = ready["apiBase"].rsplit(":", 1)[1]
        busy = subprocess.run(
            [
                "sh",
                "-c",
                f"{python} -m cstar_cli dev --db :memory: --port {port} --json "
                f"| {python} {shlex.quote(str(serve))} --port 0",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        readme = subprocess.Popen(
            [
                "sh",
                "-c",
                f"{python} -m cstar_cli dev --db :memory: --port 0 --json "
                f"| {python} {shlex.quote(str(serve))} --port 0",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            assert readme.stdout is not None
            said = readme.stdout.readline()
        finally:
            os.killpg(readme.pid, signal.SIGTERM)
            readme.communicate(timeout=20)
    assert busy.returncode == 1
    told = " ".join(busy.stderr.split())
    assert f"another cstar dev (pid {first.pid}" in told, told
    assert "`cstar dev` stopped before its ready line" in told
    assert "Pipe `cstar dev" not in told
    assert said.startswith("Portal for ada@example.com: http://127.0.0.1:"), said


def test_a_port_another_program_holds_says_so(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run_cstar("dev", "--port", str(port), "--db", ":memory:", "--json", timeout=20)
    assert result.returncode == 2
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "port_in_use"
    assert "in use by another program" in error["message"] and "--port 0" in error["hint"]


def test_sigkill_loses_no_acknowledged_write_and_a_retry_never_duplicates(tmp_path: Path) -> None:
    """Every create that got its 201 before a SIGKILL is there after a restart, and retrying
    every create that was sent — answered or not — with its Idempotency-Key makes no second
    ticket (D49: a write and its stored answer commit together)."""
    db = tmp_path / "durable.db"
    acknowledged: list[str] = []
    sent: list[int] = []
    stop = threading.Event()
    with cstar_dev("--db", str(db), "--no-rate-limit") as (proc, ready):
        url = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}/tickets"
        headers = {"Authorization": f"Bearer {ready['secretKey']}"}

        def write() -> None:
            with httpx.Client(headers=headers, timeout=5) as client:
                n = 0
                while not stop.is_set():
                    sent.append(n)
                    try:
                        response = client.post(
                            url,
                            json={"title": f"durable {n}"},
                            headers={"Idempotency-Key": f"k{n}"},
                        )
                    except httpx.HTTPError:
                        return
                    if response.status_code == 201:
                        acknowledged.append(response.json()["data"]["id"])
                    n += 1

        writer = threading.Thread(target=write)
        writer.start()
        eventually(lambda: len(acknowledged), lambda count: count >= 300, 20, every=0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        writer.join(timeout=10)
    assert len(acknowledged) >= 300
    with cstar_dev("--db", str(db)) as (_, again):
        assert again["teamId"] == ready["teamId"]
        url = f"{again['apiBase']}/api/v1/teams/{again['teamId']}/tickets"
        with httpx.Client(headers={"Authorization": f"Bearer {again['secretKey']}"}) as client:
            for n in sent:
                retried = client.post(
                    url, json={"title": f"durable {n}"}, headers={"Idempotency-Key": f"k{n}"}
                )
                assert retried.status_code == 201, retried.text
            stored: list[dict[str, Any]] = []
            page = 1
            while True:
                body = client.get(url, params={"page": page, "pageSize": 100}).json()
                stored.extend(body["data"])
                if not body["pagination"]["hasMore"]:
                    break
                page += 1
    missing = [ticket for ticket in acknowledged if ticket not in {t["id"] for t in stored}]
    assert missing == []
    titles = [t["title"] for t in stored]
    assert sorted(titles) == sorted(f"durable {n}" for n in sent)  # each once: no duplicate


def run_dev(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cstar("dev", "--port", "0", *args, timeout=60)


def test_a_db_path_that_cannot_be_a_database_is_a_usage_error(tmp_path: Path) -> None:
    a_file = tmp_path / "plain.txt"
    a_file.write_text("hello\n")
    for value, fragment in (
        ("", "--db is empty"),
        (str(tmp_path), "is a directory"),
        (str(a_file / "dev.db"), "is a file"),
    ):
        result = run_dev("--db", value)
        assert result.returncode == 2, (value, result.stderr)
        assert fragment in result.stderr and "Traceback" not in result.stderr
        assert "Unexpected error" not in result.stderr


def test_a_file_that_is_not_sqlite_is_a_clear_error_naming_it(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notadb.txt"
    not_a_db.write_text("this is not a database, just some notes\n" * 20)
    result = run_dev("--db", str(not_a_db))
    assert result.returncode == 1, result.stderr
    assert str(not_a_db) in result.stderr and "not a SQLite database" in result.stderr
    assert "Traceback" not in result.stderr and "Unexpected error" not in result.stderr
    assert not_a_db.read_text().startswith("this is not a database")  # left as it was


def test_the_default_data_dir_is_private(isolate: Path) -> None:
    data = isolate / "data"
    data.mkdir(mode=0o755)
    with cstar_dev() as (_, ready):
        assert ready["db"] == str(data / "dev.db")
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "dev.db").stat().st_mode) == 0o600


def test_cors_origin_is_checked_and_enforced() -> None:
    bad = run_dev("--db", ":memory:", "--cors-origin", "localhost:5173")
    assert bad.returncode == 2, bad.stderr
    assert "--cors-origin" in bad.stderr and "Traceback" not in bad.stderr
    with cstar_dev("--db", ":memory:", "--cors-origin", "http://localhost:5173") as (_, ready):
        whoami = f"{ready['apiBase']}/api/v1/auth/whoami"
        auth = {"Authorization": f"Bearer {ready['publishableKey']}"}
        page = httpx.get(whoami, headers={**auth, "Origin": "http://localhost:5173"})
        other = httpx.get(whoami, headers={**auth, "Origin": "http://localhost:3000"})
    assert page.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert other.status_code == 403
