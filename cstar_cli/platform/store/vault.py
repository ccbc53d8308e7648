"""The platform's secret box (D27): secrets it must recover are stored encrypted, never plain.

One Fernet key (AES-128-CBC + HMAC-SHA256, from ``cryptography``) per database, kept in a 0600
file beside it (``dev.vault.key`` for ``dev.db``), written without following symlinks; a
``:memory:`` platform keeps its key in memory. A copied database alone reveals no secret.

The API, for every part of the platform (``platform.vault``)::

    sealed = platform.vault.encrypt("whsec_…")      # str -> str (an opaque, URL-safe token)
    secret = platform.vault.decrypt(sealed)         # str -> str; VaultError if it can't
    platform.vault.encrypt_bytes(b"…") / decrypt_bytes(token)   # the same for bytes
    SecretBox.is_sealed(value)                      # True for a token this module made

The database keeps a sealed probe (``platform_vault``), so a key file that does not belong to
the database is noticed at start instead of failing on the first delivery.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cstar_cli.platform.store.files import beside_database, read_private, write_private

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

    from cstar_cli.platform.store.db import Database

PROBE = "cstar-vault-probe"


class VaultError(Exception):
    """A sealed value cannot be opened: the key file is missing, replaced or damaged."""


class SecretBox:
    """Authenticated encryption of small secrets under the platform key."""

    def __init__(self, key: bytes) -> None:
        from cryptography.fernet import Fernet

        self._fernet: Fernet = Fernet(key)

    @classmethod
    def ephemeral(cls) -> SecretBox:
        """A box whose key lives only in memory (``--db :memory:``)."""
        from cryptography.fernet import Fernet

        return cls(Fernet.generate_key())

    @classmethod
    def from_file(cls, path: Path) -> SecretBox:
        """The box whose key is in ``path``; a new key is written there (0600) if there is none."""
        from cryptography.fernet import Fernet

        try:
            data = read_private(path)
            if data is None:
                data = Fernet.generate_key()
                write_private(path, data + b"\n")
        except OSError as err:
            raise VaultError(f"{path} cannot be read or written ({err.strerror or err}).") from None
        try:
            return cls(data.strip())
        except ValueError:
            raise VaultError(f"{path} is not a cStar platform key file.") from None

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        return self.decrypt_bytes(token.encode("ascii")).decode("utf-8")

    def encrypt_bytes(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(token)
        except (InvalidToken, ValueError, TypeError):
            raise VaultError("A stored secret cannot be opened with the platform key.") from None


def vault_path(db_path: str) -> Path | None:
    """Where the platform key of ``db_path`` lives: ``dev.vault.key`` beside ``dev.db``."""
    return beside_database(db_path, ".vault.key")


def open_vault(db: Database) -> SecretBox:
    """The box for ``db``, checked against the probe the database keeps (written on first use)."""
    path = vault_path(db.path)
    box = SecretBox.ephemeral() if path is None else SecretBox.from_file(path)
    row = db.one("SELECT probe FROM platform_vault WHERE id = 1")
    if row is None:
        with db.transaction():
            db.execute(
                "INSERT INTO platform_vault (id, probe) VALUES (1, ?)", (box.encrypt(PROBE),)
            )
        return box
    try:
        box.decrypt(row["probe"])
    except VaultError:
        raise VaultError(
            f"The platform key {path} does not open the secrets stored in {db.path}: "
            "it was replaced or belongs to another database. Restore it, or start with a new --db."
        ) from None
    return box
