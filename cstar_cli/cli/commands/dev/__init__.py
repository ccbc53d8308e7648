"""``cstar dev``: run the local cStar platform; ``cstar dev reset`` clears its test environment
(D33, :mod:`.reset`), ``cstar dev export FILE`` writes its data to a data file (D34,
:mod:`.datafiles`, which also serves ``--seed``, ``--import`` and ``--export-on-exit``) and
``cstar dev exec -- CMD`` runs a command against a throwaway one (D35, :mod:`.execute`) and
``cstar dev faults`` injects faults on purpose (D38, :mod:`.faults`)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.cli.settings import Setting
    from cstar_cli.platform.runner import ReadyInfo

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# -- the options of both `cstar dev` and `cstar dev exec` ----------------------------------------
NoRateLimitOption = Annotated[
    bool,
    typer.Option("--no-rate-limit", help="Do not enforce rate limits (headers are still sent)."),
]
RetryScaleOption = Annotated[
    float | None,
    typer.Option("--retry-scale", min=0.0001, help="Shrink the webhook retry schedule, e.g. 0.01."),
]
CorsOriginOption = Annotated[
    list[str] | None,
    typer.Option(
        "--cors-origin",
        metavar="ORIGIN",
        help="Let browser pages from this origin call the API (repeatable); default: any origin.",
    ),
]


def default_db_path() -> Path:
    """``dev.db`` in cstar's own data dir, which is kept private (0700, D27)."""
    import contextlib
    import os

    from cstar_cli.cli.config import data_dir

    folder = data_dir()
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # also when it was there already, made by something else
    return folder / "dev.db"


def check_db_path(db_path: str, label: str = "--db") -> None:
    """A ``--db`` that can never be a database is a usage error (exit 2) naming it (D32), and
    where it was given (``label``: the flag, a variable, ``cstar.toml: [dev].db``)."""
    from cstar_cli.cli.errors import UsageError

    hint = "Pass a file path such as ~/cstar/dev.db, or --db :memory: for a throwaway platform."
    if db_path == ":memory:":
        return
    if not db_path.strip():
        raise UsageError(f"{label} is empty: it needs the path of a database file.", hint)
    path = Path(db_path).expanduser()
    if path.is_dir():
        raise UsageError(f"{label} {db_path} is a directory, not a database file.", hint)
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UsageError(
            f"{label} {db_path}: {parent} is a file, so it cannot hold a database.", hint
        )


def check_origins(values: list[str], label: str = "--cors-origin") -> tuple[str, ...]:
    """``--cors-origin`` values as browsers send them; a malformed one is a usage error naming
    where it was given (``label``)."""
    from cstar_cli.cli.errors import UsageError
    from cstar_cli.platform.http.cors import normalize_origin

    try:
        return tuple(normalize_origin(value) for value in values)
    except ValueError as err:
        raise UsageError(f"{label} {err}", "Example: --cors-origin http://localhost:5173") from None


def announce(info: ReadyInfo) -> list[Path]:
    """Tell this user's `cstar login` where the platform runs (a warning if that fails)."""
    from cstar_cli.cli.discovery import announce as write_announcement
    from cstar_cli.wire.times import iso

    db = info.db_path if info.db_path == ":memory:" else str(Path(info.db_path).resolve())
    try:
        return [write_announcement(info.api_base, db, iso(time.time()))]
    except OSError as err:
        print(f"Warning: `cstar login` will not find this platform ({err}).", file=sys.stderr)
        return []


def clock_notice(offset: float) -> str:
    """A ready-output line when the team's test clock is moved (it survives restarts, D21)."""
    from cstar_cli.cli.commands.clock import describe_offset

    if abs(offset) < 1:
        return ""
    return f"  Test clock            {describe_offset(offset)} (`cstar clock reset` sets it back)\n"


def dev(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Interface to bind. Anything but loopback warns."),
    port: int | None = typer.Option(
        None, min=0, max=65535, help="Port to listen on (default 8642); 0 picks a free one."
    ),
    db: str | None = typer.Option(
        None, "--db", help="SQLite file to keep data in, or :memory: for a throwaway platform."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON ready line."),
    no_rate_limit: NoRateLimitOption = False,
    no_request_log: bool = typer.Option(
        False, "--no-request-log", hidden=True, help="Don't record API requests (benchmarks)."
    ),
    retry_scale: RetryScaleOption = None,
    cors_origin: CorsOriginOption = None,
    seed: str | None = typer.Option(
        None,
        "--seed",
        metavar="FILE",
        help="Load this data file at start if the test data is empty.",
    ),
    import_file: str | None = typer.Option(
        None, "--import", metavar="FILE", help="Replace the test data with this data file at start."
    ),
    export_on_exit: str | None = typer.Option(
        None, "--export-on-exit", metavar="FILE", help="Write the test data to FILE when stopped."
    ),
) -> None:
    """Run the local cStar platform: the full API, on your machine, backed by SQLite.

    On first start it creates a team with an owner and two agents, and test and live keys;
    later starts reuse them. Stop it with Ctrl-C.

    Browser pages on any origin may call the API (CORS) unless --cors-origin names the only
    ones allowed, e.g. --cors-origin http://localhost:5173.

    Data files (JSON, `-` for stdin/stdout): --seed FILE loads one into an empty test
    environment, --import FILE replaces the test data with one, --export-on-exit FILE writes
    one on Ctrl-C or SIGTERM; `cstar dev export FILE` writes one from a running platform.

    In a project with a cstar.toml (here or in a folder above), its [dev] table gives port,
    db, seed, cors-origin and retry-scale; flags and CSTAR_DEV_* variables win over it.

    Example: cstar dev --port 0 --db :memory:
    """
    if ctx.invoked_subcommand is not None:
        refuse_options_before(ctx)
        return
    from cstar_cli.cli.commands.dev.datafiles import DataOptions
    from cstar_cli.cli.common import app_of
    from cstar_cli.cli.discovery import withdraw
    from cstar_cli.cli.errors import CstarError
    from cstar_cli.platform.runner import serve_forever
    from cstar_cli.platform.settings import PlatformSettings
    from cstar_cli.platform.store.db import StorageError
    from cstar_cli.platform.store.vault import VaultError

    given: dict[str, Any] = {"dev.port": port, "dev.db": db, "dev.seed": seed}
    given |= {"dev.cors-origin": cors_origin, "dev.retry-scale": retry_scale}
    chosen = project_settings(app_of(ctx), given)
    port = chosen["dev.port"].value
    db_path = chosen["dev.db"].value
    if db_path is None:
        db_path = str(default_db_path())
    check_db_path(db_path, chosen["dev.db"].where)
    origins = check_origins(chosen["dev.cors-origin"].value, chosen["dev.cors-origin"].where)
    seeding = chosen["dev.seed"]  # --import wins over a seed that is not a flag
    data = DataOptions.of(
        seeding.value if import_file is None or seed is not None else None,
        import_file,
        export_on_exit,
        seed_from=seeding.where,
    )
    if host not in LOOPBACK:
        print(
            f"Warning: binding to {host} exposes the local platform (and its test data) beyond "
            "this machine. Use --host 127.0.0.1 unless you mean it.",
            file=sys.stderr,
        )
    settings = PlatformSettings(
        db_path=db_path,
        enforce_rate_limits=not no_rate_limit,
        retry_scale=chosen["dev.retry-scale"].value,
        request_logging=not no_request_log,
        cors_origins=origins,
    )

    announcements: list[Path] = []

    def ready(info: ReadyInfo) -> None:
        announcements.extend(announce(info))
        if json_output:
            print(json.dumps(info.as_json()), flush=True)
            return
        keys = info.keys
        state = "created a new team" if info.seeded_now else "reusing its team"
        print(
            f"cStar local platform ready at {info.api_base} ({state}; data in {info.db_path})\n"
            f"  Team id               {keys.team_id}\n"
            f"  Secret key (test)     {keys.secret_key}\n"
            f"  Publishable (test)    {keys.publishable_key}\n"
            f"  Secret key (live)     {keys.live_secret_key}\n"
            f"  Publishable (live)    {keys.live_publishable_key}\n"
            f"{clock_notice(info.clock_offset)}"
            "\n"
            "Log in from another terminal with `cstar login` (it finds this platform), or:\n"
            f"  cstar login --api-base {info.api_base} --api-key {keys.secret_key}\n"
            "\n"
            f"Inspector  {info.inspector_url}\n"
            "  (a one-time link: `cstar open` makes another)\n"
            "\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )

    try:
        serve_forever(settings, host, port, ready, on_start=data.at_start, on_stop=data.at_exit)
    except (StorageError, VaultError) as err:
        raise CstarError(
            f"Cannot use --db {db_path}: {err}",
            "Point --db at a new file (or a database cstar dev made), or use --db :memory:.",
            code="database_unusable",
        ) from None
    except OSError as err:
        raise port_refused(host, port, err) from None
    finally:
        for path in announcements:
            withdraw(path)
    print("Local platform stopped.", file=sys.stderr)


def project_settings(app: AppContext, given: dict[str, Any]) -> dict[str, Setting]:
    """The ``[dev]`` settings by name, each the flag ``given`` (``None``: not given), or else
    from the environment, ``cstar.toml`` or the profile (D40); says so when the file gave any."""
    from cstar_cli.cli.settings import notice

    settings = {name: app.setting(name, flag) for name, flag in given.items()}
    using = notice(settings)
    if using:
        print(using, file=sys.stderr, flush=True)
    return settings


def port_refused(host: str, port: int, err: OSError) -> Exception:
    """Why ``host:port`` can't be served, naming what holds it when that is a cStar platform
    (this user's running ``cstar dev`` announce themselves), and what to do instead (exit 2)."""
    import errno

    from cstar_cli.cli.discovery import port_holder
    from cstar_cli.cli.errors import UsageError

    where = f"Cannot start the platform on {host}:{port}"
    if err.errno != errno.EADDRINUSE:
        return UsageError(
            f"{where}: {err.strerror or err}.",
            "Pick another port with --port (0 chooses a free one).",
        )
    holder = port_holder(host, port)
    if holder is None:
        return UsageError(
            f"{where}: the port is in use by another program.",
            "Start it on a free port with --port 0 (the ready line says which), or stop that "
            "program.",
            code="port_in_use",
        )
    return UsageError(
        f"{where}: {holder}.",
        "Use that one — `cstar login` finds it and offers its test key — or start another "
        "platform beside it on a free port with --port 0 (the ready line says which).",
        code="port_in_use",
    )


def refuse_options_before(ctx: typer.Context) -> None:
    """``cstar dev --port 0 reset``: the options of ``cstar dev`` run a platform; a subcommand
    takes its own, after its name (exit 2)."""
    from typer._click.core import ParameterSource

    from cstar_cli.cli.errors import UsageError

    given = [
        param.opts[0]
        for param in ctx.command.params
        if param.name and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
    ]
    if given:
        sub = ctx.invoked_subcommand
        raise UsageError(
            f"{', '.join(given)} is an option of `cstar dev` itself, not of `cstar dev {sub}`.",
            f"Put options after the subcommand: cstar dev {sub} --help shows them.",
        )


def build(name: str) -> typer.Typer:
    from cstar_cli.cli.commands.dev.datafiles import dev_export
    from cstar_cli.cli.commands.dev.execute import EXEC_SETTINGS, EXEC_USAGE, dev_exec
    from cstar_cli.cli.commands.dev.faults import build as faults_group
    from cstar_cli.cli.commands.dev.reset import dev_reset

    group = typer.Typer(
        add_completion=False,
        rich_markup_mode=None,
        invoke_without_command=True,
        no_args_is_help=False,
        subcommand_metavar="[reset | export FILE | exec ... | faults ...]",
    )
    group.callback()(dev)
    group.command("reset")(dev_reset)
    group.command("export")(dev_export)
    group.command("exec", context_settings=EXEC_SETTINGS, options_metavar=EXEC_USAGE)(dev_exec)
    group.add_typer(faults_group(), name="faults")
    return group
