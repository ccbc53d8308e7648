"""The inspector's community and CSAT views (D43–D45, D48) over real sockets: the shells hold
no data, the views need the page's token and show what the API holds."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from tests.support.inspector import inspector_client, new_link, team_api
from tests.support.platforms import platform_of_its_own


@pytest.fixture(scope="module")
def server() -> Iterator[PlatformThread]:
    with platform_of_its_own() as platform:
        yield platform


def test_community_and_csat_views(server: PlatformThread) -> None:
    with team_api(server) as api:
        agent = api.get("/members", params={"role": "agent"}).json()["data"][0]["id"]
        api.post("/community/topics", json={"name": "Roadmap"}).raise_for_status()
        post = {"title": "Offline mode", "body": "b", "member_id": agent, "topic_id": "roadmap"}
        made = api.post("/community/posts", json=post).json()["data"]
        api.post(f"/community/posts/{made['id']}/votes", json={"member_id": agent})
        api.patch(f"/community/posts/{made['id']}", json={"status": "planned", "is_pinned": True})
        ticket = api.post("/tickets", json={"title": "Printer"}).json()["data"]
        survey = {"ticketId": ticket["id"], "rating": 4, "comment": "Quick fix"}
        api.post("/csat/surveys", json=survey).raise_for_status()

    for path in ("/community", "/csat"):
        shell = httpx.get(server.api_base + path, timeout=10)
        assert shell.status_code == 200 and 'data-view="' + path[1:] + '"' in shell.text
        assert "Offline mode" not in shell.text and "Quick fix" not in shell.text
        view = httpx.get(f"{server.api_base}/inspector/view{path}", timeout=10)
        assert view.status_code == 401 and "Offline mode" not in view.text

    with inspector_client(new_link(server)) as browser:
        community = browser.get("/inspector/view/community")
        assert community.status_code == 200
        page = community.text
        assert "Offline mode" in page and made["id"] in page and "Roadmap" in page
        assert 'class="chip warn">planned' in page and "📌" in page
        assert ">Community</a>" not in page  # a fragment, not the shell
        recent = browser.get("/inspector/view/community", params={"sort": "recent"}).text
        assert 'class="on">recent' in recent
        odd = browser.get("/inspector/view/community", params={"sort": "nonsense"})
        assert odd.status_code == 200 and 'class="on">votes' in odd.text

        csat = browser.get("/inspector/view/csat")
        assert csat.status_code == 200
        assert "Quick fix" in csat.text and "100.0 %" in csat.text
        assert "surveys on" in csat.text and "overall" in csat.text
        assert ticket["id"][:12] in csat.text
