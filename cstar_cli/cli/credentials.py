"""Where API keys live: the OS keyring (service ``cstar``) when it is really usable, else a
0600 ``credentials.json`` in ``$CSTAR_HOME`` (directory 0700) with a one-time warning.

The keyring is used only when its backend has priority >= 1 (not the "fail" or "null" backends
of headless machines), every keyring call runs with a timeout (3 s by default) so a locked or
hung keyring daemon cannot hang the CLI, and ``CSTAR_NO_KEYRING=1`` forces the file.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cstar_cli.cli.config import write_private_text
from cstar_cli.cli.errors import ConfigError

SERVICE = "cstar"
FILE_NAME = "credentials.json"
T = TypeVar("T")


class KeyringUnavailable(Exception):
    """The keyring cannot be used right now (missing, raised, or timed out)."""


@dataclass(frozen=True)
class StoredKey:
    """A key and where it came from (``keyring`` or the file path)."""

    api_key: str
    location: str


def _call_with_timeout(func: Callable[[], T], timeout: float) -> T:
    """Run ``func`` in a daemon thread; raise KeyringUnavailable if it raises or hangs."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = func()
        except BaseException as err:  # a backend may raise anything
            result["error"] = err

    thread = threading.Thread(target=target, name="cstar-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise KeyringUnavailable(f"the OS keyring did not answer within {timeout:g} s")
    if "error" in result:
        err = result["error"]
        raise KeyringUnavailable(f"the OS keyring failed ({type(err).__name__}: {err})")
    value: T = result["value"]
    return value


class CredentialStore:
    """Get, set and delete the API key of a profile."""

    def __init__(
        self,
        home: Path,
        *,
        use_keyring: bool = True,
        timeout: float = 3.0,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.home = home
        self.path = home / FILE_NAME
        self.use_keyring = use_keyring
        self.timeout = timeout
        self._warn = warn or (lambda message: None)
        self._backend: Any = None
        self._keyring_checked = False
        self._keyring_problem: str | None = None

    # -- keyring -----------------------------------------------------------------------------

    def _keyring(self) -> Any:
        """The keyring backend if it is really usable, else None (decided once)."""
        if not self.use_keyring:
            return None
        if self._keyring_checked:
            return self._backend
        self._keyring_checked = True
        try:
            import keyring

            backend = _call_with_timeout(keyring.get_keyring, self.timeout)
            priority = float(getattr(backend, "priority", 0))
        except ImportError:
            self._keyring_problem = "the keyring package is not installed"
            return None
        except (KeyringUnavailable, TypeError, ValueError) as err:
            self._keyring_problem = str(err)
            return None
        except Exception as err:  # priority is a classproperty some backends compute
            self._keyring_problem = f"the OS keyring failed ({err})"
            return None
        if priority < 1:
            self._keyring_problem = (
                f"no usable OS keyring ({type(backend).__module__}.{type(backend).__name__})"
            )
            return None
        self._backend = backend
        return backend

    def _keyring_op(self, func: Callable[[], T]) -> T:
        try:
            return _call_with_timeout(func, self.timeout)
        except KeyringUnavailable as err:
            self._keyring_problem = str(err)
            self._backend = None  # do not wait on it twice in one run
            raise

    # -- file ----------------------------------------------------------------------------------

    def _read_file(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return {"profiles": {}}
        except OSError as err:
            raise ConfigError(
                f"Cannot read {self.path}: {err.strerror or err}.",
                "Check its permissions (it should be yours, mode 0600).",
            ) from None
        try:
            data = json.loads(text)
        except ValueError as err:
            raise ConfigError(
                f"{self.path}, line {getattr(err, 'lineno', '?')}: not valid JSON ({err}).",
                f"Remove {self.path} and run `cstar login` again.",
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("profiles", {}), dict):
            raise ConfigError(
                f'{self.path}: unexpected content (expected {{"profiles": {{…}}}}).',
                f"Remove {self.path} and run `cstar login` again.",
            )
        data.setdefault("profiles", {})
        return data

    def _write_file(self, data: dict[str, Any]) -> None:
        write_private_text(self.path, json.dumps(data, indent=2) + "\n", mode=0o600)

    # -- public API ---------------------------------------------------------------------------

    def get(self, profile: str) -> StoredKey | None:
        """The profile's key, from the keyring first, then the file."""
        backend = self._keyring()
        if backend is not None:
            try:
                value = self._keyring_op(lambda: backend.get_password(SERVICE, profile))
            except KeyringUnavailable as err:
                self._warn(f"{err}; looking in {self.path} instead.")
                value = None
            if value:
                return StoredKey(str(value), "OS keyring")
        entry = self._read_file()["profiles"].get(profile)
        if isinstance(entry, dict) and isinstance(entry.get("apiKey"), str):
            return StoredKey(entry["apiKey"], str(self.path))
        return None

    def set(self, profile: str, api_key: str) -> str:
        """Store the key; returns where it went (``OS keyring`` or the file path)."""
        backend = self._keyring()
        if backend is not None:
            try:
                self._keyring_op(lambda: backend.set_password(SERVICE, profile, api_key))
            except KeyringUnavailable:
                pass
            else:
                self._forget_in_file(profile)
                return "OS keyring"
        first_time = not self.path.is_file()
        data = self._read_file()
        data["profiles"][profile] = {"apiKey": api_key}
        self._write_file(data)
        if first_time and self.use_keyring:
            reason = self._keyring_problem or "no usable OS keyring"
            self._warn(
                f"{reason}; stored the key in {self.path} (readable only by you). "
                "Set CSTAR_NO_KEYRING=1 to use the file without this warning."
            )
        return str(self.path)

    def _forget_in_file(self, profile: str) -> bool:
        if not self.path.exists():
            return False
        data = self._read_file()
        if profile not in data["profiles"]:
            return False
        del data["profiles"][profile]
        self._write_file(data)
        return True

    def delete(self, profile: str) -> bool:
        """Forget the profile's key everywhere; True when something was removed."""
        removed = False
        backend = self._keyring()
        if backend is not None:
            try:
                existing = self._keyring_op(lambda: backend.get_password(SERVICE, profile))
                if existing:
                    self._keyring_op(lambda: backend.delete_password(SERVICE, profile))
                    removed = True
            except KeyringUnavailable as err:
                self._warn(f"{err}; the key may still be in the OS keyring.")
        return self._forget_in_file(profile) or removed

    def file_profiles(self) -> list[str]:
        return sorted(self._read_file()["profiles"])
