"""``cstar dev exec [options] -- CMD [ARGS…]``: run a command against a throwaway platform (D35).

The platform runs in this process (a thread, in memory, on a free loopback port), like
``cstar_cli.platform.runner.PlatformThread`` in the test suite; CMD is a child process with the
platform's address and keys in its environment. CMD stays in our process group, so a Ctrl-C at
the terminal reaches it directly; we only wait for it (SIGINT does nothing here meanwhile), and
pass SIGTERM and SIGHUP on, so a CI runner stopping us stops it too. Exit codes: CMD's own; 128+N
when a signal N ended it; 127 when CMD is not found, 126 when it cannot be run (as shells do);
1 when the platform did not start, 2 when the ``--seed`` file is bad (D34) — both before CMD
runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.commands.dev import (
    CorsOriginOption,
    NoRateLimitOption,
    RetryScaleOption,
    check_origins,
    project_settings,
)
from cstar_cli.cli.commands.dev.datafiles import DataFile, read, refused
from cstar_cli.cli.common import app_of
from cstar_cli.cli.errors import CstarError, ExitCode

if TYPE_CHECKING:
    from cstar_cli.platform.runner import PlatformThread

EXEC_SETTINGS: dict[str, Any] = {"allow_interspersed_args": False}
"""Everything from CMD on is CMD's, options included (``cstar dev exec pytest -x``)."""
EXEC_USAGE = "[OPTIONS] --"
FORWARDED = (signal.SIGTERM, signal.SIGHUP)


def dev_exec(
    ctx: typer.Context,
    command: list[str] = typer.Argument(
        ..., metavar="CMD", help="The command to run, and its arguments (after --)."
    ),
    no_rate_limit: NoRateLimitOption = False,
    retry_scale: RetryScaleOption = None,
    cors_origin: CorsOriginOption = None,
    seed: str | None = typer.Option(
        None, "--seed", metavar="FILE", help="Load this data file into the platform first."
    ),
) -> None:
    """Run a command against a throwaway local platform, then stop it.

    Starts a platform in memory on a free port, waits until it is ready, and runs CMD with
    CSTAR_API_BASE, CSTAR_API_KEY (the secret test key), CSTAR_PUBLISHABLE_KEY and CSTAR_TEAM_ID
    in its environment, so `cstar` and your own code find it. Stops the platform when CMD ends
    and exits with CMD's exit code. Ctrl-C goes to CMD. With --seed FILE, the platform holds
    that data file's data when CMD starts (a bad file: exit 2, nothing run). A cstar.toml's
    [dev] seed, cors-origin and retry-scale apply; its port and db never do.

    Example: cstar dev exec --seed fixtures.json -- pytest -x
    """
    given: dict[str, Any] = {"dev.seed": seed, "dev.cors-origin": cors_origin}
    given["dev.retry-scale"] = retry_scale
    settings = project_settings(app_of(ctx), given)
    origins = check_origins(settings["dev.cors-origin"].value, settings["dev.cors-origin"].where)
    seeding = settings["dev.seed"]
    data = None if seeding.value is None else read(seeding.value, seeding.where)
    server = start_platform(no_rate_limit, settings["dev.retry-scale"].value, origins, data)
    try:
        code = run(command, environment(server))
    finally:
        server.stop()
    raise typer.Exit(code)


def start_platform(
    no_rate_limit: bool, retry_scale: float, origins: tuple[str, ...], seed: DataFile | None = None
) -> Any:
    """A started in-memory platform on a free loopback port, holding ``seed``'s data; exit 1
    with the reason when it cannot start, 2 when the seed is refused."""
    from cstar_cli.platform.runner import PlatformThread
    from cstar_cli.platform.settings import PlatformSettings
    from cstar_cli.platform.testhelpers.datafile import DataFileError, load_document

    settings = PlatformSettings(
        db_path=":memory:",
        enforce_rate_limits=not no_rate_limit,
        retry_scale=retry_scale,
        cors_origins=origins,
    )
    server: PlatformThread | None = None
    try:
        server = PlatformThread(settings, host="127.0.0.1", port=0)
        if seed is not None:
            load_document(server.platform, server.keys.team_id, seed.document)
        return server.start()
    except DataFileError as err:
        assert server is not None and seed is not None
        server.stop()
        raise refused(seed, err) from None
    except Exception as err:  # whatever stops it, CMD must not run
        if server is not None:
            with contextlib.suppress(Exception):
                server.stop()
        raise CstarError(
            f"The local platform did not start ({type(err).__name__}: {err}); nothing was run.",
            "Check that this machine can listen on 127.0.0.1 (`cstar dev --port 0` shows the "
            "same failure), or run with CSTAR_DEBUG=1 for the details.",
            code="platform_not_started",
        ) from None


def environment(server: PlatformThread) -> dict[str, str]:
    """Our environment plus where the platform is and its test keys."""
    keys = server.keys
    return {
        **os.environ,
        "CSTAR_API_BASE": server.api_base,
        "CSTAR_API_KEY": keys.secret_key,
        "CSTAR_PUBLISHABLE_KEY": keys.publishable_key,
        "CSTAR_TEAM_ID": keys.team_id,
    }


def run(command: list[str], env: dict[str, str]) -> int:
    """Run CMD to its end; its exit code (128+N when signal N ended it)."""
    sys.stdout.flush()
    sys.stderr.flush()
    started: list[subprocess.Popen[bytes]] = []
    try:
        with _signals_go_to(started):  # from before CMD starts: a Ctrl-C never finds us unready
            started.append(subprocess.Popen(command, env=env))
            code = started[0].wait()
    except FileNotFoundError:
        raise CommandNotFound(
            f"Command not found: {command[0]}; nothing was run.",
            "Check the name, or give its path (cstar dev exec -- ./scripts/test.sh).",
        ) from None
    except OSError as err:
        raise CannotExecute(
            f"Cannot run {command[0]}: {err.strerror or err}.",
            "Check that it is an executable file (chmod +x), or run it through its "
            "interpreter (cstar dev exec -- sh script.sh).",
        ) from None
    return code if code >= 0 else 128 - code


class CommandNotFound(CstarError, exit_code=ExitCode.COMMAND_NOT_FOUND, code="command_not_found"):
    """CMD does not exist (exit 127, as shells say it)."""


class CannotExecute(CstarError, exit_code=ExitCode.CANNOT_EXECUTE, code="command_not_executable"):
    """CMD exists but cannot be run (exit 126, as shells say it)."""


@contextlib.contextmanager
def _signals_go_to(children: list[subprocess.Popen[bytes]]) -> Iterator[None]:
    """While CMD runs: Ctrl-C reaches it from the terminal, so SIGINT does nothing here; SIGTERM
    and SIGHUP are passed on to it. (Handlers, not SIG_IGN: a child starts with the defaults.)"""

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

    def ignore(_signum: int, _frame: object) -> None:
        return None

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, ignore)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
