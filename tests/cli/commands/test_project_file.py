"""The project file `cstar.toml` (D40) as cstar reads it: found here or in a folder above,
flag > environment > project file > profile, `config list --show-origin`, and errors that name
the file and the key's path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import CliFn, assert_clean_error
from tests.support.projects import in_project

PROJECT = """\
[listen]
forward-to = ["3000/webhooks", "boss.*,player.*=localhost:4000/game"]
events = ["ticket.*"]

[dev]
port = 0
seed = "fixtures/seed.json"
"""


def origins(cli: CliFn, *args: str) -> dict[str, tuple[object, str]]:
    run = cli("config", "list", "--show-origin", "--json", *args)
    assert run.exit_code == 0, run.output
    return {row["setting"]: (row["value"], row["where"]) for row in run.json()}


def test_show_origin_says_where_each_value_came_from(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolate: Path
) -> None:
    path = in_project(tmp_path, monkeypatch, PROJECT)
    profile = f"profile default ({isolate / 'config.toml'})"
    assert cli("config", "set", "listen.events", "customer.*").exit_code == 0  # the file wins
    assert cli("config", "set", "dev.retry-scale", "0.01").exit_code == 0
    assert cli("config", "set", "color", "never").exit_code == 0
    monkeypatch.setenv("CSTAR_DEV_PORT", "9000")  # the environment wins over the file
    seen = origins(cli, "--api-base", "http://127.0.0.1:1")
    assert seen["api_base"] == ("http://127.0.0.1:1", "flag --api-base")
    assert seen["profile"] == ("default", "default")
    assert seen["color"] == ("never", profile)
    assert seen["listen.forward-to"] == (
        ["3000/webhooks", "boss.*,player.*=localhost:4000/game"],
        str(path),
    )
    assert seen["listen.events"] == (["ticket.*"], str(path))
    assert seen["listen.headers"] == ({}, "default")
    assert seen["dev.port"] == (9000, "env CSTAR_DEV_PORT")
    assert seen["dev.seed"] == (str(path.parent / "fixtures" / "seed.json"), str(path))
    assert seen["dev.retry-scale"] == (0.01, profile)
    assert seen["dev.db"] == (str(isolate / "data" / "dev.db"), "default")

    table = cli("config", "list", "--show-origin").stdout
    assert "boss.*,player.*=localhost:4000/game" in table and str(path) in table
    assert "env CSTAR_DEV_PORT" in table


def test_without_a_project_file_the_profile_gives_them(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("config", "set", "listen.forward-to", "3000  ticket.*=4000/t").exit_code == 0
    assert cli("config", "get", "listen.forward-to").stdout == "3000 ticket.*=4000/t\n"
    value, where = origins(cli)["listen.forward-to"]
    assert value == ["3000", "ticket.*=4000/t"] and where.startswith("profile default")
    assert cli("config", "unset", "listen.forward-to").exit_code == 0
    assert origins(cli)["listen.forward-to"] == ([], "default")
    bad = cli("config", "set", "dev.port", "99999")
    assert_clean_error(bad, 2, "dev.port", "0 to 65535")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('[listen]\nforward_to = ["3000"]\n', ["[listen].forward_to", "unknown key", "forward-to"]),
        (
            '[listen]\nforward-to = ["3000", "/ok", "99999"]\n',
            ["[listen].forward-to[2]", "'99999'", "not a port"],
        ),
        ('[listen]\nevents = ["ticket.*", "tickt.created"]\n', ["[listen].events[1]", "tickt"]),
        ('[listen]\nheaders = "X-Team: blue"\n', ["[listen].headers", "table"]),
        ("[dev]\nport = 70000\n", ["[dev].port", "70000"]),
        ('[dev]\nretry-scale = "fast"\n', ["[dev].retry-scale", "'fast'"]),
        ("[deploy]\nhost = 1\n", ["[deploy]", "unknown table"]),
        ("port = 0\n", ["port", "outside", "[dev]"]),
        ('[listen]\nevents = ["ticket.*"]\nheaders = = 1\n', ["line 3", "not valid TOML"]),
        ('[listen]\nevents = ["ticket.*"\n', ["line 2", "end of the file"]),
    ],
)
@pytest.mark.parametrize("command", [["listen"], ["dev", "--db", ":memory:"]])
def test_a_bad_file_is_an_error_naming_the_file_and_the_key(
    cli: CliFn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    fragments: list[str],
    command: list[str],
) -> None:
    path = in_project(tmp_path, monkeypatch, text)
    assert_clean_error(cli(*command), 2, str(path), *fragments)


def test_a_bad_variable_is_an_error_naming_it(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_project(tmp_path, monkeypatch, PROJECT)
    monkeypatch.setenv("CSTAR_LISTEN_FORWARD_TO", "3000 ftp://x")
    assert_clean_error(cli("listen"), 2, "CSTAR_LISTEN_FORWARD_TO", "'ftp://x'", "not http")
    run = cli("config", "list", "--show-origin", "--json")
    assert run.exit_code == 2 and run.stdout == ""
    assert "CSTAR_LISTEN_FORWARD_TO" in run.stderr
    assert '"code": "project_file_invalid"' in run.stderr


def test_the_nearest_file_above_is_the_one_read(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = in_project(tmp_path, monkeypatch, "[dev]\nport = 1000\nretry-scale = 0.5\n")
    inner = outer.parent / "src" / "cstar.toml"
    inner.write_text("[dev]\nport = 2000\n")
    seen = origins(cli)
    assert seen["dev.port"] == (2000, str(inner))
    assert seen["dev.retry-scale"] == (1.0, "default")  # one file, never a merge of two
    monkeypatch.chdir(outer.parent)
    assert origins(cli)["dev.port"] == (1000, str(outer))


def test_a_profile_table_is_checked_like_the_file(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolate: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (isolate / "config.toml").write_text('[default]\nlisten = "x"\n\n[ci.dev]\nprot = 1\n')
    run = cli("config", "list", "--show-origin")
    assert_clean_error(run, 2, f"{isolate / 'config.toml'}: [default.listen]", "a table")
    run = cli("config", "list", "--show-origin", "--profile", "ci")
    assert_clean_error(run, 2, "[ci.dev].prot", "unknown key", "'port'")
    assert cli("config", "get", "listen.events").exit_code == 1  # not set; no crash
    assert cli("config", "set", "listen.events", "ticket.*").exit_code == 0
    assert origins(cli)["listen.events"][0] == ["ticket.*"]
