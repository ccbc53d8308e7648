"""Running ``cstar`` in-process with injectable seams: what a finished run said."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from typer.testing import CliRunner

from cstar_cli.cli.context import Seams
from cstar_cli.main import build_app


@dataclass
class Run:
    """One finished ``cstar`` invocation."""

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        import json

        return json.loads(self.stdout)


@dataclass
class Sleeps:
    """A fake ``sleep`` that records delays instead of waiting."""

    calls: list[float] = field(default_factory=list)
    on_sleep: Callable[[float], None] | None = None

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.on_sleep is not None:
            self.on_sleep(seconds)


CliFn = Callable[..., Run]


def run_cli(*args: str, seams: Seams | None = None, input: str | bytes | None = None) -> Run:
    """``cstar *args`` in this process, as a user would run it."""
    result = CliRunner().invoke(
        build_app(seams or Seams()), list(args), input=input, prog_name="cstar"
    )
    exc = result.exception
    if isinstance(exc, SystemExit):
        exc = None
    return Run(result.exit_code, result.stdout, result.stderr, exc)


def assert_clean_error(run: Run, exit_code: int, *fragments: str) -> None:
    """The run failed with ``exit_code``, said each fragment on stderr, and showed no traceback."""
    assert run.exit_code == exit_code, (run.exit_code, run.output, run.exception)
    assert run.exception is None, run.exception
    assert "Traceback" not in run.output
    for fragment in fragments:
        assert fragment.lower() in run.stderr.lower(), (fragment, run.stderr)


def args_with(base: Sequence[str], *extra: str) -> list[str]:
    return [*base, *extra]
