"""AppContext: one per run, built by the root callback and handed to every command.

It holds the resolved profile, the config file, the credential store and the printer; the API
client is created only when a command first asks for it, so ``--help`` and local commands
never import httpx or keyring.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cstar_cli.cli.config import (
    DEFAULT_PROFILE,
    ConfigFile,
    EnvSettings,
    check_profile_name,
    config_home,
)
from cstar_cli.cli.errors import (
    ErrorReport,
    NotLoggedInError,
    UnknownProfileError,
    UsageError,
    login_hint,
)
from cstar_cli.cli.output import Printer
from cstar_cli.wire.keys import redact
from cstar_cli.wire.links import LOCAL_API_BASE
from cstar_cli.wire.protocol import DEFAULT_API_BASE

if TYPE_CHECKING:
    from cstar_cli.cli.credentials import CredentialStore
    from cstar_cli.cli.settings import Layer, Setting
    from cstar_cli.client.clients import AsyncCstarClient, CstarClient
    from cstar_cli.client.errors import CstarAPIError
    from cstar_cli.client.requests import RequestSpec, RetryPolicy

KEY_PATTERN = re.compile(r"^(sk|pk)_(test|live)_[A-Za-z0-9_-]{32}$")


def check_key_format(api_key: str, source: str) -> str:
    """Reject a malformed key before any network call (exit 2), naming where it came from."""
    key = api_key.strip()
    if not KEY_PATTERN.match(key):
        shown = redact(key) if len(key) > 12 else "…"
        raise UsageError(
            f"The API key from {source} ({shown}) is not a cStar key.",
            "Keys look like sk_test_ followed by 32 letters, digits, '-' or '_' (or sk_live_, "
            "pk_test_, pk_live_). Copy it again from the dashboard or `cstar dev`.",
            code="invalid_key_format",
        )
    return key


def check_api_base(base: str, source: str) -> str:
    """Refuse an API base that is not an http(s) URL before any request (exit 2), with the URL
    it probably meant: ``localhost:8642`` → ``http://localhost:8642``."""
    from urllib.parse import urlsplit

    parts = urlsplit(base if "://" in base else "")
    if parts.scheme in ("http", "https") and parts.hostname:
        return base
    scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)/*", base)  # ftp:// (not localhost:80)
    guess = (base[scheme.end() :] if scheme else base).lstrip("/") or "127.0.0.1:8642"
    local = guess.startswith(("localhost", "127.", "[::1]", "0.0.0.0"))
    meant = f"{'http' if local else 'https'}://{guess}"
    fix = {
        "--api-base": f"Use --api-base {meant}",
        "CSTAR_API_BASE": f"Set CSTAR_API_BASE={meant}",
    }.get(source, f"Run `cstar config set api_base {meant}`")
    what = "is not an http(s) URL" if scheme else "has no http:// or https://"
    raise UsageError(
        f"The API base {base!r} (from {source}) {what}.",
        f"{fix}.",
        code="invalid_api_base",
    )


@dataclass
class Seams:
    """What tests (and embedders) may swap: transports, streams, the clock, sleeping, the
    terminal check. ``None`` streams mean the process's own at the time of the run."""

    transport: Any = None  # an httpx transport for the sync client
    async_transport: Any = None  # an httpx async transport for the async client
    sleep: Callable[[float], None] | None = None
    retry: RetryPolicy | None = None
    stdin_isatty: Callable[[], bool] | None = None
    timeout: float = 30.0
    stdout: TextIO | None = None
    stderr: TextIO | None = None
    clock: Callable[[], float] = time.time


@dataclass
class GlobalOptions:
    """The global flags, wherever they appeared on the command line."""

    profile: str | None = None
    api_key: str | None = None
    api_base: str | None = None
    color: str | None = None
    verbose: bool = False


@dataclass
class ResolvedKey:
    api_key: str
    source: str  # "--api-key", "CSTAR_API_KEY", "OS keyring" or the credentials file path
    from_store: bool


@dataclass
class AppContext:
    """Everything a command needs; costly parts are built on first use."""

    options: GlobalOptions = field(default_factory=GlobalOptions)
    seams: Seams = field(default_factory=Seams)
    env: EnvSettings = field(default_factory=EnvSettings.read)
    _config: ConfigFile | None = None
    _credentials: CredentialStore | None = None
    _printer: Printer | None = None
    _client: CstarClient | None = None
    _warned: set[str] = field(default_factory=set)
    _layers: list[Layer] | None = None

    # -- profile and files ------------------------------------------------------------------

    @property
    def home(self) -> Path:
        return config_home()

    @property
    def profile_name(self) -> str:
        name = self.options.profile or self.env.profile or DEFAULT_PROFILE
        return check_profile_name(name)

    @property
    def profile_explicit(self) -> bool:
        return bool(self.options.profile or self.env.profile)

    @property
    def config(self) -> ConfigFile:
        if self._config is None:
            self._config = ConfigFile(self.home / "config.toml")
        return self._config

    @property
    def credentials(self) -> CredentialStore:
        if self._credentials is None:
            from cstar_cli.cli.credentials import CredentialStore

            self._credentials = CredentialStore(
                self.home,
                use_keyring=not self.env.no_keyring,
                timeout=self.env.keyring_timeout,
                warn=self.warn_once,
            )
        return self._credentials

    @property
    def printer(self) -> Printer:
        if self._printer is None:
            color = self.options.color or self._profile_color() or "auto"
            self._printer = Printer(
                color=color,
                verbose=self.options.verbose,
                stdout=self.seams.stdout,
                stderr=self.seams.stderr,
            )
        return self._printer

    def _profile_color(self) -> str | None:
        try:
            value = (self.config.profile(self.profile_name) or {}).get("color")
        except Exception:  # a broken config is reported by the command that needs it
            return None
        return value if isinstance(value, str) else None

    def warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.printer.warn(message)

    def profile_settings(self, *, must_exist: bool | None = None) -> dict[str, Any]:
        """The profile's table; a named profile that does not exist is an error."""
        table = self.config.profile(self.profile_name)
        if table is None:
            required = self.profile_explicit if must_exist is None else must_exist
            if required:
                known = ", ".join(sorted(self.config.load())) or "none yet"
                raise UnknownProfileError(
                    f"Profile {self.profile_name!r} does not exist in {self.config.path} "
                    f"(profiles: {known}).",
                    f"Run `cstar login --profile {self.profile_name}` to create it (add "
                    f"--api-base {LOCAL_API_BASE} for the local platform), or pick one "
                    "with --profile.",
                )
            return {}
        return table

    # -- settings -----------------------------------------------------------------------------

    def api_base(self) -> tuple[str, str]:
        """``(base, source)`` by precedence flag > env > profile > default; one that is not an
        http(s) URL is a usage error (exit 2)."""
        if self.options.api_base:
            base, source = self.options.api_base.strip().rstrip("/"), "--api-base"
        elif self.env.api_base:
            base, source = self.env.api_base.strip().rstrip("/"), "CSTAR_API_BASE"
        else:
            profile_base = self.profile_settings().get("api_base")
            if not profile_base:
                return DEFAULT_API_BASE, "default"
            base, source = str(profile_base).rstrip("/"), f"profile {self.profile_name}"
        return check_api_base(base, source), source

    def resolve_key(self) -> ResolvedKey | None:
        """The API key by precedence flag > env > stored for the profile."""
        if self.options.api_key:
            return ResolvedKey(
                check_key_format(self.options.api_key, "--api-key"), "--api-key", False
            )
        if self.env.api_key:
            key = check_key_format(self.env.api_key, "CSTAR_API_KEY")
            return ResolvedKey(key, "CSTAR_API_KEY", False)
        self.profile_settings()
        stored = self.credentials.get(self.profile_name)
        if stored is None:
            return None
        return ResolvedKey(check_key_format(stored.api_key, stored.location), stored.location, True)

    def require_key(self) -> ResolvedKey:
        resolved = self.resolve_key()
        if resolved is None:
            raise NotLoggedInError(
                f"Not logged in (profile {self.profile_name!r} has no API key).",
                login_hint(self.profile_name),
            )
        return resolved

    def layers(self) -> list[Layer]:
        """The files the project file's settings come from, first wins: ``cstar.toml`` in the
        current folder or the nearest above it (D40), then the profile's ``[listen]`` and
        ``[dev]`` tables in ``config.toml``. Read and checked once."""
        if self._layers is None:
            from cstar_cli.cli.settings import (
                SECTIONS,
                Layer,
                Origin,
                check_tables,
                find_project_file,
                load_project_file,
            )

            found = find_project_file(Path.cwd())
            project = [] if found is None else [load_project_file(found)]
            table = self.config.profile(self.profile_name) or {}
            origin = Origin("profile", self.profile_name, str(self.config.path))
            tables = {name: table[name] for name in SECTIONS if name in table}
            self._layers = [*project, Layer(origin, check_tables(tables, origin, None))]
        return self._layers

    def setting(self, name: str, flag: Any = None) -> Setting:
        """The project setting ``name`` (``listen.forward-to``) and where it came from: ``flag``
        (``None`` when not given) > ``CSTAR_LISTEN_FORWARD_TO`` > ``cstar.toml`` > profile."""
        from cstar_cli.cli.settings import KEYS, resolve

        return resolve(KEYS[name], flag, self.env.layered, self.layers())

    # -- API client ---------------------------------------------------------------------------

    def _log_request(
        self, spec: RequestSpec, status: int | None, seconds: float, rid: str | None, attempt: int
    ) -> None:
        outcome = str(status) if status is not None else "no answer"
        retry = f" (retry {attempt})" if attempt else ""
        rid_text = f" {rid}" if rid else ""
        self.printer.verbose(
            f"{spec.method} {spec.url} → {outcome} in {seconds * 1000:.0f} ms{rid_text}{retry}"
        )

    def _report_retry(
        self, spec: RequestSpec, error: CstarAPIError, delay: float, retry: int
    ) -> None:
        """One line on stderr per retry of the client's own (the same Idempotency-Key)."""
        from urllib.parse import urlsplit

        why = f"{error.status} {error.code}" if error.status is not None else error.code
        same = ", same Idempotency-Key" if "Idempotency-Key" in spec.headers else ""
        self.printer.info(
            f"Retrying {spec.method} {urlsplit(spec.url).path} in {delay:.1f} s "
            f"(retry {retry}{same}): the API answered {why}."
        )

    def make_client(self, api_key: str | None, *, team_id: str | None = None) -> CstarClient:
        """A new client on this run's API base and seams (for login and status)."""
        from cstar_cli.client.clients import CstarClient

        base, _ = self.api_base()
        kwargs: dict[str, Any] = {}
        if self.seams.sleep is not None:
            kwargs["sleep"] = self.seams.sleep
        return CstarClient(
            api_key,
            team_id=team_id,
            api_base=base,
            timeout=self.seams.timeout,
            retry=self.seams.retry,
            transport=self.seams.transport,
            on_request=self._log_request,
            on_retry=self._report_retry,
            **kwargs,
        )

    def client(self) -> CstarClient:
        """The logged-in client for this run (built once)."""
        if self._client is None:
            resolved = self.require_key()
            self._client = self.make_client(resolved.api_key, team_id=self._team_of(resolved))
        return self._client

    def async_client(self, *, user_agent: str | None = None) -> AsyncCstarClient:
        """A new logged-in async client on this run's seams (``listen``, ``mcp-server``);
        use it as ``async with``. ``-v`` shows its requests like the sync client's."""
        from cstar_cli.client.clients import AsyncCstarClient

        resolved = self.require_key()
        base, _ = self.api_base()
        return AsyncCstarClient(
            resolved.api_key,
            team_id=self._team_of(resolved),
            api_base=base,
            timeout=self.seams.timeout,
            retry=self.seams.retry,
            transport=self.seams.async_transport,
            on_request=self._log_request,
            user_agent=user_agent,
        )

    def last_meta(self) -> dict[str, Any]:
        """The ``meta`` of this run's last API answer (``{}`` before any)."""
        return self._client.last_meta if self._client is not None else {}

    def _team_of(self, resolved: ResolvedKey) -> str | None:
        """The team a stored key belongs to (saves a ``whoami``); unknown for other keys."""
        if not resolved.from_store:
            return None
        stored_team = self.profile_settings().get("team_id")
        return str(stored_team) if stored_team else None

    def explain(self, report: ErrorReport, command: str | None) -> ErrorReport:
        """The report, naming the key when it was refused, or was publishable for a command
        that needs a secret key."""
        from cstar_cli.cli.errors import CstarError, explain_key

        try:
            resolved = self.resolve_key()
        except CstarError:
            return report
        if resolved is None:
            return report
        return explain_key(report, command, resolved.api_key, resolved.source)

    def stdin_isatty(self) -> bool:
        if self.seams.stdin_isatty is not None:
            return self.seams.stdin_isatty()
        import sys

        return sys.stdin.isatty()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
