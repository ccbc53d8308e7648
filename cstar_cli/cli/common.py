"""Helpers shared by the command modules: the context, ``--json``, ``-d`` pairs, confirmation,
hints on API errors, paging through a list."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cstar_cli.cli.context import AppContext
from cstar_cli.cli.errors import AbortedError, UsageError
from cstar_cli.cli.render import page_footer, render_list

if TYPE_CHECKING:
    from cstar_cli.client.errors import CstarAPIError

JSON_HELP = "Print the API object(s) as JSON on stdout."
WIDE_HELP = "Show every cell whole, however wide the table gets (ids are never cut anyway)."
DATA_HELP = (
    "Field as key=value (repeatable). key:=JSON for numbers, booleans, lists or objects; "
    "key[]=item appends to a list; key[sub]=value sets a nested field."
)

# The paging options of list commands; a command gives the default: ``page: PageOption = 1``.
PageOption = Annotated[int, typer.Option("--page", min=1, help="Page number, from 1.")]
PageSizeOption = Annotated[int, typer.Option("--page-size", min=1, max=100, help="Items per page.")]
AllPagesOption = Annotated[bool, typer.Option("--all", help="Fetch every page.")]
JsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
WideOption = Annotated[bool, typer.Option("--wide", help=WIDE_HELP)]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="10m, 2h, 7d or an ISO-8601 time.")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def one_command(function: Callable[..., None]) -> typer.Typer:
    """A top-level command that is a single function (``cstar listen``), as a Typer app."""
    app = typer.Typer(add_completion=False, rich_markup_mode=None)
    app.command()(function)
    return app


def command_group(
    commands: Mapping[str, Callable[..., None]],
    *,
    help: str | None = None,
    callback: Callable[..., None] | None = None,
    invoke_without_command: bool = False,
) -> typer.Typer:
    """A group of subcommands (``cstar keys``): each by name, in ``--help`` order.

    The group's help is ``help``, or the docstring of ``callback``, which runs before any
    subcommand (and, with ``invoke_without_command``, with options but none: ``events --tail``).
    """
    # Typer would take an explicit help=None over the callback's docstring.
    described: dict[str, Any] = {} if help is None else {"help": help}
    group = typer.Typer(
        **described,
        no_args_is_help=True,
        invoke_without_command=invoke_without_command,
        add_completion=False,
    )
    if callback is not None:
        group.callback()(callback)
    for name, function in commands.items():
        group.command(name)(function)
    return group


def app_of(ctx: typer.Context, *, json_output: bool = False) -> AppContext:
    """The run's AppContext (set by the root callback); switches the printer to JSON mode."""
    app = ctx.find_root().obj
    if not isinstance(app, AppContext):  # a command invoked without the root callback
        app = AppContext()
        ctx.find_root().obj = app
    if json_output:
        app.printer.json_mode = True
    return app


def parse_data(pairs: Sequence[str] | None) -> dict[str, Any]:
    """``-d`` values into a body: ``k=v``, ``k:=<json>``, ``k[]=v``, ``k[sub]=v``."""
    body: dict[str, Any] = {}
    for raw in pairs or ():
        raw_json = False
        if ":=" in raw and raw.index(":=") < raw.index("=") + 1:
            key, value_text = raw.split(":=", 1)
            raw_json = True
        elif "=" in raw:
            key, value_text = raw.split("=", 1)
        else:
            raise _bad_pair(raw, "expected key=value")
        value: Any = value_text
        if raw_json:
            try:
                value = json.loads(value_text)
            except json.JSONDecodeError as err:
                raise _bad_pair(raw, f"the value after := is not JSON ({err.msg})") from None
        if key.endswith("[]"):
            name = key[:-2]
            _check_key(raw, name)
            existing = body.setdefault(name, [])
            if not isinstance(existing, list):
                raise _bad_pair(raw, f"{name} is already set to a non-list value")
            existing.append(value)
        elif "[" in key:
            if not key.endswith("]") or key.count("[") != 1:
                raise _bad_pair(raw, "nested keys look like metadata[plan]=pro")
            name, sub = key[:-1].split("[", 1)
            _check_key(raw, name)
            _check_key(raw, sub)
            nested = body.setdefault(name, {})
            if not isinstance(nested, dict):
                raise _bad_pair(raw, f"{name} is already set to a non-object value")
            nested[sub] = value
        else:
            _check_key(raw, key)
            body[key] = value
    return body


def given(fields: dict[str, Any]) -> dict[str, Any]:
    """The body fields whose option was given: every value but ``None``."""
    return {key: value for key, value in fields.items() if value is not None}


def _check_key(raw: str, key: str) -> None:
    if not key or not key.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise _bad_pair(raw, "the key must be a field name like title or customerId")


def _bad_pair(raw: str, reason: str) -> UsageError:
    return UsageError(
        f"Invalid -d value {raw!r}: {reason}.",
        "Examples: -d title='Printer on fire'  -d tags[]=vip  -d metadata[plan]=pro  "
        "-d isPublic:=true",
        code="invalid_data",
    )


def confirm(app: AppContext, question: str, *, yes: bool) -> None:
    """Ask on a terminal; without one, require --yes."""
    if yes:
        return
    if not app.stdin_isatty():
        raise UsageError(
            f"{question} Refusing without confirmation because stdin is not a terminal.",
            "Pass --yes to confirm.",
            code="confirmation_required",
        )
    if not typer.confirm(question, default=False, err=True):
        raise AbortedError("Cancelled; nothing was changed.", None)


@contextmanager
def hinted(hint_for: Callable[[CstarAPIError], str | None]) -> Iterator[None]:
    """Give an API error raised in the block the hint ``hint_for`` finds for it, unless the
    platform sent one."""
    from cstar_cli.client.errors import CstarAPIError

    try:
        yield
    except CstarAPIError as err:
        if err.hint is None:
            err.hint = hint_for(err)
        raise


@dataclass(frozen=True)
class Paging:
    """What a list shows: one page (``--page``, ``--page-size``) or every page (``--all``)."""

    page: int = 1
    size: int = 20
    every: bool = False


def show_pages(
    app: Any,
    source: Any,
    params: dict[str, Any],
    paging: Paging,
    *,
    json_output: bool,
    render: Callable[[list[dict[str, Any]]], None],
    noun: str,
) -> None:
    """Fetch one page of ``source`` (a client resource) and show it with a footer saying how to
    get more, or with ``--all`` fetch and show every item; ``render`` draws the items."""
    if paging.every:
        items = list(source.iter_all(params, page_size=paging.size if paging.size != 20 else 100))
        render(items)
        if not json_output and items:
            app.printer.info(f"{len(items)} {noun}.")
        return
    result = source.list({**params, "page": paging.page, "pageSize": paging.size})
    render(result.data)
    if not json_output:
        page_footer(app, result)


def show_table_pages(
    app: Any,
    source: Any,
    params: dict[str, Any],
    paging: Paging,
    columns: Sequence[tuple[str, str]],
    *,
    json_output: bool,
    noun: str,
    rows: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] = list,
) -> None:
    """:func:`show_pages` as a table of ``columns`` (or the JSON) of ``rows(items)``."""
    show_pages(
        app,
        source,
        params,
        paging,
        json_output=json_output,
        render=lambda items: render_list(app, rows(items), columns, json_output=json_output),
        noun=noun,
    )
