"""Request-log filters: one check, and the same words from `cstar logs` and the platform."""

from __future__ import annotations

import httpx
import pytest

from cstar_cli.wire.logfilters import BadFilter, LogFilters
from cstar_cli.wire.times import parse_iso
from tests.support.cli import CliFn

BAD = [
    ("method", "FETCH", "--method", "'FETCH' is not an HTTP method"),
    ("status", "abc", "--status", "'abc' takes HTTP codes like 404 or 400,409."),
    ("status", "700", "--status", "'700' takes HTTP codes"),
    ("statusClass", "6xx", "--status-class", "is one of 2xx, 3xx, 4xx, 5xx."),
    ("source", "robot", "--source", "is one of api, cli, mcp, sdk, dashboard."),
    ("path", "tickets", "--path", "'tickets' must start with '/'"),
    ("since", "last tuesday", "--since", "'last tuesday' is"),
]


def test_good_values_are_normalised_into_the_query_the_platform_reads() -> None:
    filters = LogFilters.parse(
        method="get, post",
        path="/tickets/*",
        status="404, 409",
        status_class="4XX",
        source="cli",
        since="2026-03-06T14:30:00Z",
    )

    assert filters.methods == ("GET", "POST")
    assert filters.statuses == (404, 409)
    assert filters.since == parse_iso("2026-03-06T14:30:00Z")
    assert filters.query() == {
        "method": "GET,POST",
        "path": "/tickets/*",
        "status": "404,409",
        "statusClass": "4xx",
        "source": "cli",
        "since": "2026-03-06T14:30:00.000Z",
    }
    assert LogFilters.parse().query() == {}


def test_since_takes_a_duration_only_where_asked() -> None:
    assert LogFilters.parse(since="10m", durations=True).since is not None
    with pytest.raises(BadFilter) as refused:
        LogFilters.parse(since="10m")
    assert refused.value.named("since") == "since '10m' is not an ISO-8601 time."


@pytest.mark.parametrize(("param", "value", "flag", "words"), BAD)
def test_the_cli_and_the_platform_refuse_a_bad_value_in_the_same_words(
    cli: CliFn, api: httpx.Client, param: str, value: str, flag: str, words: str
) -> None:
    out = cli("logs", flag, value)
    answer = api.get("/logs", params={param: value})

    assert out.exit_code == 2
    assert f"{flag} {words}" in out.stderr
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["param"] == param
    assert error["message"].startswith(f"{param} {words}")
