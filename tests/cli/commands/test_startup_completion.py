"""Start-up stays light, and the committed completion scripts are current."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[3]
HEAVY = (
    "httpx", "websockets", "keyring", "mcp", "fastapi", "starlette", "uvicorn", "playwright",
    "jinja2",
)  # fmt: skip


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_nothing_heavy(flag: str) -> None:
    code = (
        "import sys\n"
        "from cstar_cli.main import main\n"
        f"sys.argv = ['cstar', {flag!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert "HEAVY=\n" in run.stderr, run.stderr
    assert "cstar" in run.stdout


SHELL_FILES = {
    "bash": "cstar.bash",
    "zsh": "cstar.zsh",
    "fish": "cstar.fish",
    "powershell": "cstar.ps1",
}


@pytest.mark.parametrize(("shell", "name"), sorted(SHELL_FILES.items()))
def test_committed_completion_scripts_are_current(shell: str, name: str) -> None:
    env = {**os.environ, "_CSTAR_COMPLETE": f"source_{shell}"}
    code = "from cstar_cli.main import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    committed = (ROOT / "completions" / name).read_text()
    assert run.stdout.strip() and committed == run.stdout, (
        f"completions/{name} is stale; regenerate with `_CSTAR_COMPLETE=source_{shell} cstar "
        f"> completions/{name}`"
    )


def test_completion_show_matches(tmp_path: Path) -> None:
    run = run_cli("completion", "show", "--shell", "zsh")
    assert run.exit_code == 0
    assert run.stdout == (ROOT / "completions" / "cstar.zsh").read_text()


def test_completion_install_writes_to_the_shell_rc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    run = run_cli("completion", "install", "--shell", "bash")
    assert run.exit_code == 0, run.output
    assert "_CSTAR_COMPLETE" in (tmp_path / ".bashrc").read_text() or any(tmp_path.rglob("cstar*"))


def test_completion_needs_a_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELL", "/bin/tcsh")
    run = run_cli("completion", "show")
    assert run.exit_code == 2 and "--shell" in run.stderr


def test_root_help_lines_match_each_commands_own_help() -> None:
    from cstar_cli.main import COMMANDS, load_command

    for name, (_, line) in COMMANDS.items():
        assert load_command(name).get_short_help_str(limit=300) == line, name


def test_every_group_and_command_has_an_example_in_its_help() -> None:
    for args in (["login"], ["keys", "create"], ["tickets", "list"], ["get"], ["identity", "sign"]):
        run = run_cli(*args, "--help")
        assert run.exit_code == 0 and "Example:" in run.stdout, args
