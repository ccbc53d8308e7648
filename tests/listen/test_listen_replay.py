"""Replays with edits (D39) and `cstar listen`: a real platform, a real listen process and real
receivers. A replay reaches the session it is sent to, with the session's signature and without
origin in the body; a replay sent elsewhere never reaches a listening session."""

from __future__ import annotations

from collections.abc import Callable

from cstar_cli.client.signing import construct_event
from tests.support.receivers import Receiver
from tests.support.relay import ListenProcess, Target, fire


def test_a_replay_sent_to_a_session_arrives_edited_and_signed(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as receiver:
        process = listen(target, "-f", receiver.url, "--device-name", "replay")
        session_id = process.ready["sessionId"]
        [original] = fire(target, 1, "customer.created")
        [first] = receiver.wait_for(lambda rs: len(rs) == 1)
        data = first.event["data"]
        data["customer"]["name"] = "Edited in a replay"
        with target.client() as client:
            answer = client.post(
                target.url(f"/events/{original}/resend"),
                json={"data": data, "sessionId": session_id},
            )
        assert answer.status_code == 200, answer.text
        replay_id = answer.json()["data"]["eventId"]
        [_, second] = receiver.wait_for(lambda rs: len(rs) == 2)
    event = construct_event(
        second.body, second.headers["x-signature"], process.ready["signingSecret"]
    )
    assert event["id"] == replay_id != original
    assert event["data"]["customer"]["name"] == "Edited in a replay"
    assert b"origin" not in second.body and b"replayOf" not in second.body


def test_a_replay_sent_to_a_webhook_never_reaches_a_listening_session(
    target: Target, listen: Callable[..., ListenProcess]
) -> None:
    with Receiver() as listened, Receiver() as hooked:
        listen(target, "-f", listened.url, "--device-name", "bystander")
        with target.client() as client:
            made = client.post(
                target.url("/webhooks"), json={"url": hooked.url, "events": ["ticket.*"]}
            )
            hook = made.json()["data"]
            [original] = fire(target, 1, "ticket.created")
            listened.wait_for(lambda rs: len(rs) == 1)
            hooked.wait_for(lambda rs: len(rs) == 1)
            answer = client.post(
                target.url(f"/events/{original}/resend"), json={"data": {"edited": True}}
            )
            replay_id = answer.json()["data"]["eventId"]
            assert answer.json()["data"]["targets"] == [hook["id"]]
            hooked.matching(lambda r: r.headers["x-event-id"] == replay_id)
            # the session forwards in order: once a later event is there, the replay never was
            [later] = fire(target, 1, "ticket.closed")
            seen = listened.matching(lambda r: r.headers["x-event-id"] == later)
            client.delete(target.url(f"/webhooks/{hook['id']}"))
    assert replay_id not in [r.headers["x-event-id"] for r in listened.snapshot()]
    assert len(seen) == 1
