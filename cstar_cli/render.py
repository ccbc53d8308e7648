"""How commands show API objects: a list (one page, or every page), one item, the page footer.

The output layer above the Printer: commands hand their data here, the Printer draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

MESSAGE_COLUMNS = (
    ("ID", "id"),
    ("SENDER", "sender"),
    ("NAME", "senderName"),
    ("INTERNAL", "isInternal"),
    ("CREATED", "createdAt"),
    ("CONTENT", "content"),
)

EVENT_COLUMNS = (("ID", "id"), ("TYPE", "type"), ("CREATED", "createdAt"), ("OBJECT", "object"))


def event_row(event: dict[str, Any]) -> dict[str, Any]:
    """An event (snake_case, as delivered) as a table row: id, type, time, main object's id."""
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    assert isinstance(data, dict)
    obj = next((v.get("id") for v in data.values() if isinstance(v, dict) and v.get("id")), None)
    return {
        "id": event.get("id"),
        "type": event.get("type"),
        "createdAt": event.get("created_at"),
        "object": obj,
    }


def render_list(app: Any, items: list[dict[str, Any]], columns: Any, *, json_output: bool) -> None:
    if json_output:
        app.printer.json(items)
    else:
        app.printer.table(items, columns)


def render_item(
    app: Any, item: Any, *, json_output: bool, skip: Sequence[str] = ("object",)
) -> None:
    if json_output:
        app.printer.json(item)
        return
    if not isinstance(item, dict):
        app.printer.text(str(item))
        return
    shown = [k for k in item if k not in skip and k != "messages"]
    app.printer.detail(item, fields=shown)
    messages = item.get("messages")
    if isinstance(messages, list) and messages:
        app.printer.info(f"\n{len(messages)} message(s):")
        app.printer.table(messages, MESSAGE_COLUMNS)


def show_pages(
    app: Any,
    source: Any,
    params: dict[str, Any],
    *,
    page: int,
    page_size: int,
    all_pages: bool,
    json_output: bool,
    render: Callable[[list[dict[str, Any]]], None],
    noun: str,
) -> None:
    """One page (with a footer saying how to get more), or with ``--all`` every item."""
    if all_pages:
        items = list(source.iter_all(params, page_size=page_size if page_size != 20 else 100))
        render(items)
        if not json_output and items:
            app.printer.info(f"{len(items)} {noun}.")
        return
    result = source.list({**params, "page": page, "pageSize": page_size})
    render(result.data)
    if not json_output:
        page_footer(app, result)


def page_footer(app: Any, page: Any) -> None:
    p = page.pagination
    if p is None:
        return
    text = f"Page {p.page} of {max(p.total_pages, 1)} ({p.total} total)."
    if p.has_more:
        text += f" Next: --page {p.page + 1}, or --all for everything."
    app.printer.info(text)
