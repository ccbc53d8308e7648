"""A user's project with a ``cstar.toml`` (D40), for tests that run cstar inside it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

Project = Callable[[str], Path]
"""``project(text)``: :func:`in_project` in the test's own folder (a fixture gives it)."""


def in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """A project folder whose ``cstar.toml`` holds ``text`` (dedented); the test then runs in a
    folder two levels below it, as a person working in ``src/hooks`` would. Returns the file."""
    project = tmp_path / "shop"
    (project / "src" / "hooks").mkdir(parents=True)
    path = project / "cstar.toml"
    path.write_text(textwrap.dedent(text))
    monkeypatch.chdir(project / "src" / "hooks")
    return path
