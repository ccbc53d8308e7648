"""What `--forward-to` accepts: targets and routes, checked before anything connects."""

from __future__ import annotations

import pytest

from cstar_cli.listen.targets import InvalidForwardTarget, Route, parse_route


@pytest.mark.parametrize(
    ("value", "route"),
    [
        ("3000", Route("http://localhost:3000")),
        ("/hooks", Route("http://localhost/hooks")),
        ("3000/webhooks", Route("http://localhost:3000/webhooks")),
        ("3000?x=1", Route("http://localhost:3000?x=1")),
        ("ticket.*=3000/hooks", Route("http://localhost:3000/hooks", ("ticket.*",))),
        ("localhost:3000/webhooks", Route("http://localhost:3000/webhooks")),
        ("https://example.test/hooks?x=1", Route("https://example.test/hooks?x=1")),
        ("http://[::1]:3000/x", Route("http://[::1]:3000/x")),
        (
            "boss.*,player.*=localhost:4000/game",
            Route("http://localhost:4000/game", ("boss.*", "player.*")),
        ),
        ("ticket.created = 3000", Route("http://localhost:3000", ("ticket.created",))),
        ("*=/all", Route("http://localhost/all")),
    ],
)
def test_accepted_forms(value: str, route: Route) -> None:
    assert parse_route(value) == route


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ht!tp:/bad", "not a host name"),
        ("htp:/bad", "no port after it"),
        ("ftp://example.test", "not http or https"),
        ("99999", "not a port"),
        ("99999/hooks", "not a port"),
        ("localhost:0/x", "not a port"),
        ("http://", "no host"),
        ("", "empty"),
        ("tickt.*=3000", "Did you mean 'ticket.*'"),
    ],
)
def test_rejected_forms_say_why(value: str, reason: str) -> None:
    with pytest.raises(InvalidForwardTarget, match=reason.replace("*", r"\*").replace(".", r"\.")):
        parse_route(value)
