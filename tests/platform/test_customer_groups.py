"""Customer groups (D41) over a real socket: CRUD, slugs, membership, events, scopes."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.platforms import OwnPlatform, Start, data


def _events(staff: httpx.Client, platform: OwnPlatform, event_type: str) -> list[dict[str, Any]]:
    answer = staff.get(platform.team("/events"), params={"type": event_type, "pageSize": 100})
    events: list[dict[str, Any]] = data(answer)
    return events


def _made(staff: httpx.Client, platform: OwnPlatform, path: str, **body: Any) -> dict[str, Any]:
    """What a POST of ``body`` to the team's ``path`` created (answered 201)."""
    made: dict[str, Any] = data(staff.post(platform.team(path), json=body), 201)
    return made


def test_groups_crud_slugs_and_events(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        created = _made(
            staff,
            platform,
            "/customer-groups",
            name="Acme Corp",
            externalId="zd_1",
            customFields={"tier": "gold"},
        )
        assert created["id"].startswith("cgr_") and created["object"] == "customer_group"
        assert created["slug"] == "acme-corp" and created["customerCount"] == 0
        assert created["externalId"] == "zd_1" and created["customFields"] == {"tier": "gold"}
        clash = staff.post(platform.team("/customer-groups"), json={"name": "ACME corp!"})
        assert clash.status_code == 409 and clash.json()["error"]["param"] == "slug"
        other = _made(staff, platform, "/customer-groups", name="B", slug="b-2")
        assert other["slug"] == "b-2"
        assert (
            staff.patch(
                platform.team(f"/customer-groups/{other['id']}"), json={"slug": "acme-corp"}
            ).status_code
            == 409
        )
        updated = data(
            staff.patch(
                platform.team(f"/customer-groups/{created['id']}"),
                json={"description": "Big", "customFields": {"tier": None, "region": "eu"}},
            )
        )
        assert updated["description"] == "Big" and updated["customFields"] == {"region": "eu"}
        listed = staff.get(platform.team("/customer-groups"), params={"search": "acme"}).json()
        assert [g["id"] for g in listed["data"]] == [created["id"]]
        assert listed["pagination"]["pageSize"] == 25
        gone = data(staff.delete(platform.team(f"/customer-groups/{other['id']}")))
        assert gone == {"id": other["id"], "deleted": True}
        assert staff.get(platform.team(f"/customer-groups/{other['id']}")).status_code == 404
        made = _events(staff, platform, "customer_group.created")
        changed = _events(staff, platform, "customer_group.updated")
        deleted = _events(staff, platform, "customer_group.deleted")
    assert {e["data"]["customer_group"]["id"] for e in made} == {created["id"], other["id"]}
    assert made[-1]["data"]["customer_group"]["external_id"] in ("zd_1", None)
    assert changed[0]["data"]["changes"]["description"] == {"from": None, "to": "Big"}
    assert deleted[0]["data"]["customer_group"]["id"] == other["id"]


def test_membership_group_ids_and_the_group_filter(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        group = _made(staff, platform, "/customer-groups", name="Acme")
        ada = _made(staff, platform, "/customers", name="Ada", email="a@x.io")
        bob = _made(staff, platform, "/customers", name="Bob", email="b@x.io")
        members = platform.team(f"/customer-groups/{group['id']}/customers")
        added = data(staff.post(members, json={"customerIds": [ada["id"], bob["id"], ada["id"]]}))
        assert added["customerCount"] == 2
        again = data(staff.post(members, json={"customerIds": [ada["id"]]}))
        assert again["customerCount"] == 2
        unknown = staff.post(members, json={"customerIds": ["cus_" + "0" * 32]})
        assert unknown.status_code == 400 and unknown.json()["error"]["param"] == "customerIds"
        assert data(staff.get(platform.team(f"/customers/{ada['id']}")))["groupIds"] == [
            group["id"]
        ]
        filtered = data(staff.get(platform.team("/customers"), params={"groupId": group["id"]}))
        assert {c["id"] for c in filtered} == {ada["id"], bob["id"]}
        left = data(staff.delete(f"{members}/{bob['id']}"))
        assert left["customerCount"] == 1
        assert staff.delete(f"{members}/{bob['id']}").status_code == 404
        assert data(staff.get(platform.team(f"/customers/{bob['id']}")))["groupIds"] == []
        filtered = data(staff.get(platform.team("/customers"), params={"groupId": group["id"]}))
        assert [c["id"] for c in filtered] == [ada["id"]]
        assert (
            staff.get(
                platform.team("/customers"), params={"groupId": "tkt_" + "0" * 32}
            ).status_code
            == 400
        )
        updates = _events(staff, platform, "customer_group.updated")
    membership = [e["data"]["changes"]["customer_ids"] for e in updates]
    assert len(membership) == 2  # adding the same customer again changed nothing
    assert {"from": [], "to": [ada["id"], bob["id"]]} in membership
    assert {"from": [ada["id"], bob["id"]], "to": [ada["id"]]} in membership


def test_groups_need_a_secret_key(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client(platform.server.keys.publishable_key) as public:
        assert public.get(platform.team("/customer-groups")).status_code == 403
        write = public.post(platform.team("/customer-groups"), json={"name": "x"})
        assert write.status_code == 403
        assert write.json()["error"]["code"] == "publishable_key_write"


def test_groups_go_with_a_reset_and_travel_in_data_files(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        ada = _made(staff, platform, "/customers", name="Ada", email="a@x.io")
        group = _made(
            staff,
            platform,
            "/customer-groups",
            name="Acme",
            externalId="zd_9",
            customFields={"a": 1},
        )
        staff.post(
            platform.team(f"/customer-groups/{group['id']}/customers"),
            json={"customerIds": [ada["id"]]},
        )
        exported = staff.get(platform.team("/test-helpers/export")).json()
        [written] = exported["customerGroups"]
        assert written["id"] == group["id"] and written["customerIds"] == [ada["id"]]
        assert written["externalId"] == "zd_9" and "customerCount" not in written
        imported = staff.post(platform.team("/test-helpers/import"), json=exported)
        assert imported.status_code == 200, imported.text
        assert imported.json()["data"]["loaded"]["customerGroups"] == 1
        assert imported.json()["data"]["deleted"]["customerGroups"] == 1
        again = data(staff.get(platform.team(f"/customer-groups/{group['id']}")))
        assert again["customerCount"] == 1 and again["customFields"] == {"a": 1}
        assert staff.get(platform.team("/test-helpers/export")).json() == exported
        seed = {
            "cstarData": 1,
            "customers": [{"name": "Bo", "email": "bo@x.io"}],
            "customerGroups": [{"name": "Bo's Shop", "customerIds": ["bo@x.io"]}],
        }
        seeded = staff.post(platform.team("/test-helpers/import"), json=seed)
        assert seeded.status_code == 200, seeded.text
        [made] = data(staff.get(platform.team("/customer-groups")))
        assert made["slug"] == "bo-s-shop" and made["customerCount"] == 1
        bad = {**seed, "customerGroups": [{"name": "X", "customerIds": ["no@x.io"]}]}
        refused = staff.post(platform.team("/test-helpers/import"), json=bad)
        assert refused.status_code == 400
        assert refused.json()["error"]["param"] == "customerGroups[0].customerIds[0]"
        reset = staff.post(platform.team("/test-helpers/reset"))
        assert reset.json()["data"]["deleted"]["customerGroups"] == 1
        assert data(staff.get(platform.team("/customer-groups"))) == []


def test_deleting_a_customer_updates_its_groups(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        group = _made(staff, platform, "/customer-groups", name="Acme")
        ada = _made(staff, platform, "/customers", name="Ada", email="a@x.io")
        members = platform.team(f"/customer-groups/{group['id']}/customers")
        staff.post(members, json={"customerIds": [ada["id"]]})
        staff.delete(platform.team(f"/customers/{ada['id']}"))
        assert (
            data(staff.get(platform.team(f"/customer-groups/{group['id']}")))["customerCount"] == 0
        )
        updates = _events(staff, platform, "customer_group.updated")
    changes = [e["data"]["changes"]["customer_ids"] for e in updates]
    assert {"from": [ada["id"]], "to": []} in changes
