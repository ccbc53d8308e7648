"""The MCP SDK loads only where it serves (tests/test_layering.py keeps the CLI out)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cstar_cli" / "mcp"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_server_module_imports_the_sdk() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        uses_sdk = any(n == "mcp" or n.startswith("mcp.") for n in imported_modules(path))
        assert uses_sdk == (path.name == "server.py"), path


def test_print_config_does_not_load_the_sdk(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from cstar_cli.main import main\n"
        "try:\n    main(['mcp-server', '--print-config'])\nexcept SystemExit:\n    pass\n"
        "print('MCP=' + str('mcp' in sys.modules), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert "MCP=False" in run.stderr, run.stderr
    assert '"mcpServers"' in run.stdout
