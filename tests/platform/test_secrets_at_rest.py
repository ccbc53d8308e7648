"""Secrets at rest (D27): private files, sealed secrets, exact replays, symlink-safe key files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import httpx
import pytest

from cstar_cli.platform.core import Platform
from cstar_cli.platform.runner import PlatformThread, keys_file
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.platform.store.vault import VaultError, vault_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(db: Path) -> PlatformThread:
    return PlatformThread(PlatformSettings(db_path=str(db), enforce_rate_limits=False)).start()


def client(server: PlatformThread, key: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {key or server.keys.secret_key}"},
        timeout=10,
    )


def stored_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_data_dir_and_files_are_private(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "nested" / "dev.db"
    server = start(db)
    try:
        with client(server) as api:
            assert api.post("/tickets", json={"title": "x"}).status_code == 201
        assert mode(db.parent) == mode(db.parent.parent) == 0o700  # parents too, not the umask
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert mode(path) == 0o600, path
        assert mode(vault_path(str(db))) == 0o600  # type: ignore[arg-type]
        assert mode(keys_file(str(db))) == 0o600  # type: ignore[arg-type]
    finally:
        server.stop()


def test_a_copied_database_reveals_no_secret_and_replays_stay_exact(tmp_path: Path) -> None:
    db = tmp_path / "dev.db"
    server = start(db)
    try:
        with client(server) as api:
            made = api.post(
                "/keys", headers={"Idempotency-Key": "mint-1"}, json={"name": "CI"}
            ).json()
            hook = api.post(
                "/webhooks",
                headers={"Idempotency-Key": "hook-1"},
                json={"url": "http://127.0.0.1:9/hooks", "events": ["*"]},
            ).json()
            session = api.post("/webhooks/listen", json={"deviceName": "laptop"}).json()
            resumed = api.post("/webhooks/listen", json={"deviceName": "laptop"}).json()
            again = api.post("/keys", headers={"Idempotency-Key": "mint-1"}, json={"name": "CI"})
        assert resumed["data"]["signingSecret"] == session["data"]["signingSecret"]
        replay = again.json()
        assert again.headers["idempotent-replayed"] == "true"
        assert replay["meta"].pop("idempotentReplayed") is True
        assert replay == made  # the same key, the same request id
        secrets = [made["data"]["secret"], hook["data"]["secret"], server.keys.secret_key]
        secrets.append(session["data"]["signingSecret"])
    finally:
        server.stop()
    stored = stored_bytes(db)
    for secret in secrets:
        assert secret.encode() not in stored, secret[:8]
    conn = sqlite3.connect(db)
    try:
        (sealed,) = conn.execute("SELECT secret FROM webhooks").fetchone()
        (session_secret,) = conn.execute("SELECT secret FROM listen_sessions").fetchone()
        (body,) = conn.execute("SELECT response_body FROM idempotency_keys LIMIT 1").fetchone()
    finally:
        conn.close()
    assert sealed.startswith("gAAAAA") and bytes(body).startswith(b"gAAAAA")
    assert session_secret.startswith("gAAAAA")


def test_a_database_without_its_key_file_says_so(tmp_path: Path) -> None:
    db = tmp_path / "dev.db"
    Platform(PlatformSettings(db_path=str(db))).close()
    key = vault_path(str(db))
    assert key is not None
    key.unlink()
    with pytest.raises(VaultError, match="does not open the secrets"):
        Platform(PlatformSettings(db_path=str(db)))


def test_the_seed_keys_file_is_never_written_through_a_symlink(tmp_path: Path) -> None:
    db = tmp_path / "dev.db"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = keys_file(str(db))
    assert planted is not None
    os.symlink(victim, planted)
    server = start(db)
    server.stop()
    assert victim.read_text() == "precious\n"
    assert not planted.is_symlink() and mode(planted) == 0o600
    assert server.keys.secret_key in planted.read_text()
