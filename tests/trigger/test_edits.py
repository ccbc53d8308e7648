"""The ``path=value`` edits of ``events resend --set`` and ``trigger --for -d`` (D39)."""

from __future__ import annotations

import pytest

from cstar_cli.trigger.edits import EditError, build, edit, parse

EVENT = {"data": {"ticket": {"title": "Printer", "tags": ["a", "b"], "priority": "normal"}}}


def test_values_are_text_or_json() -> None:
    assert parse("data.ticket.title=x=y") == (["data", "ticket", "title"], "x=y")
    assert parse("data.n:=3") == (["data", "n"], 3)
    assert parse('data.o:={"k": [1]}') == (["data", "o"], {"k": [1]})


def test_edit_sets_what_exists_and_leaves_the_original_alone() -> None:
    edited = edit(EVENT, ["data.ticket.priority=urgent", "data.ticket.tags.1=vip"])
    assert edited["data"]["ticket"] == {
        "title": "Printer",
        "tags": ["a", "vip"],
        "priority": "urgent",
    }
    assert EVENT["data"]["ticket"]["priority"] == "normal"
    replaced = edit(EVENT, ['data.ticket:={"title": "new"}'])
    assert replaced["data"]["ticket"] == {"title": "new"}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("data.ticket.priorty=urgent", "Did you mean 'priority'"),
        ("data.ticket.zzz=1", "It has: title, tags, priority"),
        ("data.ticket.tags.2=x", "a list of 2"),
        ("data.ticket.title.x=1", 'data.ticket.title is "Printer", not an object'),
        ("data.ticket", "expected path=value"),
        ("data..x=1", "empty part"),
        ("data.x:=[oops", "not JSON"),
    ],
)
def test_bad_edits_say_what_is_wrong(raw: str, says: str) -> None:
    with pytest.raises(EditError) as caught:
        edit(EVENT, [raw])
    assert says in str(caught.value) and repr(raw) in str(caught.value)


def test_build_makes_the_nested_object_and_refuses_a_value_used_as_an_object() -> None:
    assert build(["changes.status.from=open", "changes.status.to=closed", "n:=1"]) == {
        "changes": {"status": {"from": "open", "to": "closed"}},
        "n": 1,
    }
    with pytest.raises(EditError, match="already set to a value"):
        build(["a=1", "a.b=2"])
