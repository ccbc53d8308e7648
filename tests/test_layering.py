"""The layers' arrows point one way (docs/architecture.md), read from the source (AST), not grep.

Every package of ``cstar_cli`` is named in :data:`LAYERS` with the packages it may import; a
package that is not named fails the suite, so a new one has to say where it stands. Only ``cli``
(and the entry point, ``main``) import typer, rich or click, directly or through another module.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cstar_cli"
LAYERS: dict[str, frozenset[str]] = {
    "wire": frozenset(),
    "client": frozenset({"wire"}),
    "listen": frozenset({"client", "wire"}),
    "mcp": frozenset({"client", "wire"}),
    "trigger": frozenset({"client", "wire"}),
    # the platform signs deliveries with the client's signing code: the signature it sends is
    # the one the client verifies
    "platform": frozenset({"client", "wire"}),
    "cli": frozenset({"client", "listen", "mcp", "trigger", "platform", "wire"}),
    # the testing library runs a platform in the caller's process and hands out clients
    "testing": frozenset({"platform", "client", "wire"}),
}
"""Each package of ``cstar_cli`` and the packages it may import."""
ROOT_MODULES = frozenset({"__init__", "__main__", "main"})
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


def package_of(name: str) -> str | None:
    """``cli`` for ``cstar_cli.cli.commands.keys``; ``None`` outside the package or at its root."""
    parts = name.split(".")
    if parts[0] != "cstar_cli" or len(parts) < 2 or not (PACKAGE / parts[1]).is_dir():
        return None  # outside the package, or its root (the entry point, ``__version__``)
    return parts[1]


def modules_of(package: str) -> list[str]:
    prefix = f"cstar_cli.{package}"
    return sorted(n for n in modules() if n == prefix or n.startswith(prefix + "."))


def test_every_package_is_named() -> None:
    found = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert found == set(LAYERS), "name each package of cstar_cli in LAYERS"


def test_the_root_holds_only_the_entry_point() -> None:
    assert {p.stem for p in PACKAGE.glob("*.py")} <= ROOT_MODULES


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    names = modules_of(package)
    assert names, f"no modules under cstar_cli.{package}"
    allowed = LAYERS[package] | {package}
    for name in names:
        bad = {
            imported: via
            for imported, via in reach(name).items()
            if package_of(imported) not in (None, *allowed)
        }
        assert not bad, f"{name} reaches " + ", ".join(
            f"{imported} (imported by {via})" for imported, via in sorted(bad.items())
        )


@pytest.mark.parametrize("package", sorted(set(LAYERS) - {"cli"}))
def test_only_the_cli_reaches_typer_and_rich(package: str) -> None:
    for name in modules_of(package):
        bad = {
            imported: via
            for imported, via in reach(name).items()
            if imported.split(".")[0] in CLI_LIBRARIES
        }
        assert not bad, f"{name} reaches " + ", ".join(
            f"{imported} (imported by {via})" for imported, via in sorted(bad.items())
        )


def test_the_platform_core_does_not_know_the_game() -> None:
    """The game is built on the platform (its clock, its fan-out), never the reverse."""
    core = (
        "cstar_cli.platform.core",
        "cstar_cli.platform.teamclock",
        "cstar_cli.platform.store.db",
    )
    for name in core:
        game = [m for m in reach(name) if m.startswith("cstar_cli.platform.game")]
        assert not game, f"{name} reaches {game}"


def test_small_platform_modules_load_without_fastapi() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cstar_cli.platform, cstar_cli.platform.ids, cstar_cli.platform.teamclock; "
        "sys.exit('fastapi' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_checks_see_a_violation() -> None:
    """The rules are not vacuous: a command module reaches typer and the platform."""
    reached = reach("cstar_cli.cli.commands.dev")
    assert any(imported.split(".")[0] == "typer" for imported in reached)
    assert any(package_of(imported) == "platform" for imported in reached)


def route_modules() -> list[str]:
    """Every platform module that defines HTTP routes (it builds an ``APIRouter``)."""
    return sorted(
        name
        for name, path in modules().items()
        if name.startswith("cstar_cli.platform.") and "APIRouter(" in path.read_text()
    )


SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b")


def sql_in(name: str) -> list[str]:
    """The string constants of module ``name`` that are SQL."""
    tree = ast.parse(modules()[name].read_text())
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def test_there_are_route_modules() -> None:
    assert "cstar_cli.platform.resources.tickets.routes" in route_modules()


@pytest.mark.parametrize("name", route_modules())
def test_a_route_module_holds_no_sql_and_no_storage(name: str) -> None:
    """Routes parse, call a service and answer: the SQL and the store are the service's."""
    storage = sorted(m for m in imports_of(name) if m.startswith("cstar_cli.platform.store"))
    assert not storage, f"{name} imports {storage}"
    assert not sql_in(name), f"{name} holds SQL: {sql_in(name)}"


def test_the_sql_check_sees_sql() -> None:
    assert sql_in("cstar_cli.platform.resources.tickets.service")
