"""Data files on the command line (D34): ``cstar dev export FILE``, and ``cstar dev`` /
``cstar dev exec`` with ``--seed FILE``, ``--import FILE`` and ``--export-on-exit FILE``.

Files are read before a platform starts, so one that cannot be read or is not JSON stops the
command at once (exit 2, naming the file); a document the platform refuses is one error naming
the file, the JSON path and the problem (exit 2), and nothing of it is applied. ``-`` is stdin
for a file read and stdout for a file written. Written files are the canonical text of
:func:`cstar_cli.wire.datafile.render`, replaced whole (never half-written).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cstar_cli.cli.common import app_of
from cstar_cli.cli.errors import CstarError, UsageError
from cstar_cli.wire.datafile import counts, describe, render

if TYPE_CHECKING:
    from cstar_cli.platform.core import Platform
    from cstar_cli.platform.seed import SeedKeys
    from cstar_cli.platform.testhelpers.datafile import DataFileError

FORMAT_HINT = (
    'The README\'s "Seed and snapshot files" shows the format; `cstar dev export -` prints '
    "a running platform's data in it."
)


@dataclass(frozen=True)
class DataFile:
    """A data file read from disk (or stdin): where from, and its JSON."""

    name: str
    document: Any


def label(path: str) -> str:
    return "stdin" if path == "-" else path


def read(path: str, option: str) -> DataFile:
    """The JSON of the file ``option`` names; exit 2 naming it when it cannot be read or is not
    JSON."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).expanduser().read_bytes()
    except OSError as err:
        raise UsageError(
            f"{option} {path}: cannot read it ({err.strerror or err}).",
            "Give the path of a cStar data file. " + FORMAT_HINT,
            code="data_file_unreadable",
        ) from None
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as err:
        raise UsageError(
            f"{option} {label(path)}: not a JSON document ({err}).",
            FORMAT_HINT,
            code="data_file_invalid",
        ) from None
    return DataFile(label(path), document)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def refused(file: DataFile, err: DataFileError) -> UsageError:
    """A document the platform refused: the file, the JSON path and the problem (exit 2)."""
    return UsageError(
        f"{file.name}: {err}",
        "Nothing of it was loaded. Fix the file and run again. " + FORMAT_HINT,
        code="data_file_invalid",
    )


def check_writable(path: str, option: str) -> None:
    """A file that can never be written (a directory, a missing folder) is a usage error now,
    not a lost snapshot later."""
    if path == "-":
        return
    target = Path(path).expanduser()
    if target.is_dir():
        raise UsageError(f"{option} {path} is a directory.", "Name a file, e.g. snapshot.json.")
    if not target.parent.is_dir():
        raise UsageError(
            f"{option} {path}: the folder {target.parent} does not exist.",
            "Create it first, or name a file in an existing folder.",
        )


def write(path: str, document: Any) -> None:
    """Write ``document`` (``-``: stdout), replacing the file whole."""
    text = render(document)
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path).expanduser()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# -- cstar dev and cstar dev exec -----------------------------------------------------------------
@dataclass(frozen=True)
class DataOptions:
    """What ``cstar dev`` does with data files at start and at exit."""

    seed: DataFile | None = None
    replace: DataFile | None = None
    export_on_exit: str | None = None

    @classmethod
    def of(
        cls,
        seed: str | None,
        replace: str | None,
        export_on_exit: str | None,
        *,
        seed_from: str = "--seed",
    ) -> DataOptions:
        """Read the files the options name (exit 2 for a bad one, before anything starts);
        ``seed_from`` says where the seed was given (``cstar.toml: [dev].seed``, D40)."""
        if seed is not None and replace is not None:
            raise UsageError(
                "--seed and --import cannot be used together.",
                "--seed loads into an empty environment only; --import replaces its data.",
            )
        if export_on_exit is not None:
            check_writable(export_on_exit, "--export-on-exit")
        return cls(
            seed=None if seed is None else read(seed, seed_from),
            replace=None if replace is None else read(replace, "--import"),
            export_on_exit=export_on_exit,
        )

    def at_start(self, platform: Platform, keys: SeedKeys) -> None:
        """Seed an empty test environment, or replace its data (exit 2 for a refused file)."""
        from cstar_cli.platform.testhelpers.datafile import (
            DataFileError,
            held_data,
            import_document,
            load_document,
        )

        team = keys.team_id
        file = self.replace or self.seed
        if file is None:
            return
        try:
            if self.replace is not None:
                loaded = import_document(platform, team, self.replace.document)["loaded"]
                verb = "Replaced the test environment's data with"
            else:
                held = held_data(platform, team)
                if held:
                    say(
                        f"Not seeding from {file.name}: the test environment already holds "
                        f"data ({describe(held)}). `cstar dev --import {file.name}` replaces it; "
                        "`cstar dev reset` empties it."
                    )
                    return
                loaded = load_document(platform, team, file.document)
                verb = "Seeded the test environment from"
        except DataFileError as err:
            raise refused(file, err) from None
        shown = {name: n for name, n in loaded.items() if n}
        say(f"{verb} {file.name} ({describe(shown)}).")

    def at_exit(self, platform: Platform, keys: SeedKeys) -> None:
        """Write the test environment's data where ``--export-on-exit`` says."""
        from cstar_cli.platform.testhelpers.datafile import export_document

        if self.export_on_exit is None:
            return
        document = export_document(platform, keys.team_id)
        try:
            write(self.export_on_exit, document)
        except OSError as err:
            raise CstarError(
                f"Cannot write --export-on-exit {self.export_on_exit}: {err.strerror or err}.",
                "The platform's data is still in its database (--db); start it again and run "
                "`cstar dev export FILE`.",
                code="export_failed",
            ) from None
        if self.export_on_exit != "-":
            say(
                f"Wrote the test environment's data to {self.export_on_exit} "
                f"({describe(counts(document))})."
            )


def say(message: str) -> None:
    """A notice beside the platform's output (stderr: stdout may be its --json line)."""
    print(message, file=sys.stderr, flush=True)


# -- cstar dev export ----------------------------------------------------------------------------
def dev_export(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="Where to write it; - for stdout."),
) -> None:
    """Write the test data of the local platform the profile points at to a data file.

    One JSON document: members, customers, categories, articles, tickets with their
    messages, webhooks and SLA rules, in a stable order, without secrets (no keys, no webhook
    signing secrets). `cstar dev --import FILE` or `--seed FILE` loads it back; export, import
    and export again gives the same bytes. For a local platform only (`cstar dev`).

    Example: cstar dev export snapshot.json
    """
    from cstar_cli.cli.commands.dev.reset import require_local

    app = app_of(ctx)
    check_writable(file, "FILE")
    base = require_local(app, "cstar dev export", "An export reads the test environment")
    document = app.client().test_helpers.export()
    try:
        write(file, document)
    except OSError as err:
        raise CstarError(
            f"Cannot write {file}: {err.strerror or err}.", "Name a file you can write."
        ) from None
    if file != "-":
        app.printer.success(
            f"Wrote the test data of the local platform at {base} to {file} "
            f"({describe(counts(document))})."
        )
