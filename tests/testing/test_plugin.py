"""The pytest plugin, as a user meets it: a project of its own, run by its own ``pytest``
(serially and with ``-n 2``), with README's example among its tests, under
``filterwarnings = error``. The plugin comes from the installed package's ``pytest11`` entry point
(``pip install -e '.[test]'`` installs it)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections import defaultdict
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Test your code against cstar"

PYTEST_INI = """\
[pytest]
filterwarnings = error
addopts = -p no:cacheprovider
"""

FIXTURE_TESTS = """\
import os
from pathlib import Path

import pytest

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def remember(platform):
    with open(Path(os.environ["SEEN"]), "a") as seen:
        seen.write(f"{WORKER} {platform.api_base}\\n")


@pytest.mark.parametrize("n", range(6))
def test_each_test_starts_from_an_empty_environment(cstar_dev, n):
    remember(cstar_dev)
    client = cstar_dev.client()
    assert client.tickets.list().data == []
    client.tickets.create({"title": f"ticket {n}"})
    assert len(client.tickets.list().data) == 1


def test_cstar_dev_is_the_session_platform(cstar_platform, cstar_dev):
    remember(cstar_platform)
    assert cstar_dev is cstar_platform


def test_a_test_receiver_closes_after_the_test(cstar_dev):
    remember(cstar_dev)
    inbox = cstar_dev.receiver()
    cstar_dev.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
    cstar_dev.client().tickets.create({"title": "Printer on fire"})
    assert inbox.wait_for("ticket.created")[0].verified
"""

PLAIN_TESTS = """\
import sys
import threading


def test_the_plugin_is_active_and_started_nothing(request):
    assert request.config.pluginmanager.has_plugin("cstar")
    assert not [t for t in threading.enumerate() if t.name.startswith("cstar")]
    assert "cstar_cli.platform.app" not in sys.modules
    assert "cstar_cli.testing.local" not in sys.modules
"""


def readme_example() -> str:
    """The first Python block of README's section on testing against cstar."""
    text = README.read_text()
    assert SECTION in text, f"README has no section {SECTION!r}"
    block = re.search(r"```python\n(.*?)```", text[text.index(SECTION) :], re.S)
    assert block is not None, f"README's {SECTION!r} shows no Python block"
    return block.group(1)


def project(tmp_path: Path, **tests: str) -> Path:
    (tmp_path / "pytest.ini").write_text(PYTEST_INI)
    for name, source in tests.items():
        (tmp_path / f"{name}.py").write_text(source)
    return tmp_path


def run_pytest(
    where: Path, *args: str, seen: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``pytest`` in ``where`` as a user would run it (none of this session's pytest settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["SEEN"] = str(where / "seen.txt")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *args],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )


REINSTALL = "run pip install -e '.[test]' (the environment predates the plugin)"


@pytest.fixture
def installed() -> None:
    """The plugin's entry point and pytest-xdist, as ``pip install -e '.[test]'`` installs them."""
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found.get("cstar") == "cstar_cli.testing.plugin", f"no pytest11 entry point: {REINSTALL}"
    assert importlib.util.find_spec("xdist") is not None, f"no pytest-xdist: {REINSTALL}"


def test_the_entry_point_and_xdist_are_installed(installed: None) -> None:
    pass


def test_the_plugin_module_is_import_light() -> None:
    heavy = ("fastapi", "starlette", "httpx", "uvicorn", "cstar_cli.platform")
    code = (
        "import sys, cstar_cli.testing.plugin, cstar_cli.testing; "
        f"sys.exit(' '.join(m for m in {heavy!r} if m in sys.modules) or None)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.returncode == 0, f"importing the plugin loads {loaded.stderr}"


def test_a_session_that_asks_for_no_fixture_starts_nothing(tmp_path: Path, installed: None) -> None:
    ran = run_pytest(project(tmp_path, test_plain=PLAIN_TESTS))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two-workers"])
def test_the_fixtures_and_readmes_example(
    tmp_path: Path, workers: list[str], installed: None
) -> None:
    where = project(tmp_path, test_fixtures=FIXTURE_TESTS, test_readme=readme_example())
    ran = run_pytest(where, *workers)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "9 passed" in ran.stdout, ran.stdout
    platforms: dict[str, set[str]] = defaultdict(set)
    for line in (where / "seen.txt").read_text().splitlines():
        worker, api_base = line.split()
        platforms[worker].add(api_base)
    assert all(len(bases) == 1 for bases in platforms.values()), platforms  # one per session
    if workers:
        assert set(platforms) == {"gw0", "gw1"}, platforms  # each worker has its own
        assert platforms["gw0"] != platforms["gw1"]
