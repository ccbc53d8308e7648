"""The layers' arrows point one way (docs/architecture.md), read from the source (AST), not grep.

The libraries — the client (``api``), the relay engine (``relay``), the platform (``server``), the
MCP server (``mcp``) and the wire vocabulary (``wire``) — never import the CLI: not typer or
rich, and none of the CLI's own modules, directly or through another module of the package.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cstar_cli"
LIBRARIES = ("api", "relay", "server", "mcp", "wire")
CLI_MODULES = (
    "cstar_cli.commands",
    "cstar_cli.main",
    "cstar_cli.context",
    "cstar_cli.output",
    "cstar_cli.config",
    "cstar_cli.credentials",
    "cstar_cli.errors",
)
CLI_LIBRARIES = ("typer", "rich", "click")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


@cache
def imports_of(name: str) -> frozenset[str]:
    """Every module ``name`` imports, at any depth of its code (function bodies too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(modules()[name].read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(found)


def reach(name: str) -> dict[str, str]:
    """The modules ``name`` reaches, each with the module that imports it (for the message)."""
    seen: dict[str, str] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        for imported in imports_of(current):
            if imported in seen:
                continue
            seen[imported] = current
            if imported in modules():
                todo.append(imported)
    return seen


def is_cli(name: str) -> bool:
    top = name.split(".")[0]
    return top in CLI_LIBRARIES or any(name == m or name.startswith(m + ".") for m in CLI_MODULES)


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_never_reach_the_cli(library: str) -> None:
    prefix = f"cstar_cli.{library}"
    names = sorted(n for n in modules() if n == prefix or n.startswith(prefix + "."))
    assert names, f"no modules under {prefix}"
    for name in names:
        bad = {imported: via for imported, via in reach(name).items() if is_cli(imported)}
        assert not bad, f"{name} reaches the CLI: " + ", ".join(
            f"{imported} (imported by {via})" for imported, via in sorted(bad.items())
        )


def test_the_platform_core_does_not_know_the_game() -> None:
    """The game is built on the platform (its clock, its fan-out), never the reverse."""
    core = ("cstar_cli.server.platform", "cstar_cli.server.testclock", "cstar_cli.server.db")
    for name in core:
        game = [m for m in reach(name) if m.startswith("cstar_cli.server.game")]
        assert not game, f"{name} reaches {game}"


def test_small_platform_modules_load_without_fastapi() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cstar_cli.server, cstar_cli.server.ids, cstar_cli.server.testclock; "
        "sys.exit('fastapi' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_check_sees_a_violation() -> None:
    """The rule is not vacuous: a command module does reach typer."""
    assert any(is_cli(imported) for imported in reach("cstar_cli.commands.listen"))
