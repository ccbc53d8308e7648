"""Typer commands (list, get, create, update, delete) built from a resource spec."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import typer

from cstar_cli.cli.commands.resources.specs import Field, ResourceSpec
from cstar_cli.cli.common import (
    DATA_HELP,
    JSON_HELP,
    WIDE_HELP,
    Paging,
    app_of,
    confirm,
    hinted,
    parse_data,
    show_pages,
)
from cstar_cli.cli.members import item_names, list_names
from cstar_cli.cli.render import render_item, render_list, show_done

if TYPE_CHECKING:
    from cstar_cli.cli.context import AppContext
    from cstar_cli.client.errors import CstarAPIError

# -- building commands from specs ---------------------------------------------------------------


def _annotation(f: Field) -> Any:
    if f.kind == "bool":
        return bool | None
    if f.kind == "list":
        return list[str] | None
    if f.choices:
        return Literal[f.choices] | None
    return str | None


def _option(f: Field, *, creating: bool = False) -> inspect.Parameter:
    """The option of a field; on ``create`` a required field says so (``-d`` may give it too)."""
    text = f"{f.help}  [required]" if creating and f.required else f.help
    if f.kind == "bool":
        decl = f"{f.option}/--no-{f.option[2:]}"
        info = typer.Option(None, decl, help=text, show_default=False)
    else:
        info = typer.Option(None, f.option, help=text, show_default=False)
    return inspect.Parameter(
        f.param, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=_annotation(f)
    )


def _param(name: str, annotation: Any, info: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation
    )


CTX = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)


def _json_param() -> inspect.Parameter:
    return _param("json_output", bool, typer.Option(False, "--json", help=JSON_HELP))


def _data_param() -> inspect.Parameter:
    return _param(
        "data",
        list[str] | None,
        typer.Option(None, "--data", "-d", help=DATA_HELP, show_default=False),
    )


def _make(
    impl: Callable[..., None], params: Sequence[inspect.Parameter], doc: str
) -> Callable[..., None]:
    """A function typer can read: ``impl`` behind an explicit signature and docstring."""

    def command(**kwargs: Any) -> None:
        impl(**kwargs)

    command.__signature__ = inspect.Signature([CTX, *params])  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in [CTX, *params]}
    command.__annotations__["return"] = None
    command.__doc__ = doc
    return command


def _values(spec_fields: Sequence[Field], kwargs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in spec_fields:
        value = kwargs.get(f.param)
        if value is None or (f.kind == "list" and not value):
            continue
        out[f.name] = list(value) if f.kind == "list" else value
    return out


def _hint(spec: ResourceSpec, err: CstarAPIError) -> str | None:
    """Point a 400 about a field at its option, and a 404 at the right list command."""
    if err.status == 404:
        return f"Check the id; `cstar {spec.name} list` shows what exists."
    for f in spec.fields:
        if err.param == f.name:
            return f"Pass {f.option} (or -d {f.name}=…)."
    return None


def build_resource(spec: ResourceSpec) -> typer.Typer:
    group = typer.Typer(help=spec.help, no_args_is_help=True)
    hint_for = partial(_hint, spec)

    def resource(app: AppContext) -> Any:
        """The client's resource for the spec (``client.tickets``…)."""
        return getattr(app.client(), spec.name)

    def show_saved(app: AppContext, item: Any, verb: str, *, json_output: bool) -> None:
        show_done(
            app,
            item,
            f"{verb} {spec.singular} {item.get('id')}.",
            json_output=json_output,
            then=lambda: render_item(
                app, item, json_output=False, names=item_names(app, item, json_output=False)
            ),
        )

    # list
    def list_impl(
        ctx: typer.Context,
        page: int,
        page_size: int,
        all_pages: bool,
        sort: str | None,
        wide: bool,
        json_output: bool,
        **kwargs: Any,
    ) -> None:
        app = app_of(ctx, json_output=json_output)
        params = _values(spec.filters, kwargs)
        if sort:
            params["sort"] = sort
        show_pages(
            app,
            resource(app),
            params,
            Paging(page=page, size=page_size, every=all_pages),
            json_output=json_output,
            render=lambda items: render_list(
                app,
                items,
                spec.columns,
                json_output=json_output,
                wide=wide,
                noun=spec.name,
                names=list_names(app, spec.name, items, json_output=json_output),
            ),
            noun=spec.name,
        )

    list_params = [
        *(_option(f) for f in spec.filters),
        _param("page", int, typer.Option(1, "--page", min=1, help="Page number, from 1.")),
        _param(
            "page_size",
            int,
            typer.Option(20, "--page-size", min=1, max=100, help="Items per page (1-100)."),
        ),
        _param("all_pages", bool, typer.Option(False, "--all", help="Fetch every page.")),
        _param(
            "sort",
            str | None,
            typer.Option(
                None,
                "--sort",
                help=f"Sort field; prefix '-' for descending (e.g. {spec.sort_example}).",
            ),
        ),
        _param("wide", bool, typer.Option(False, "--wide", help=WIDE_HELP)),
        _json_param(),
    ]
    group.command("list")(
        _make(
            list_impl,
            list_params,
            f"List {spec.name}, newest first, with filters and paging.\n\n"
            f"Example: cstar {spec.name} list --page-size 50 --sort {spec.sort_example} --json",
        )
    )

    # get
    def get_impl(ctx: typer.Context, item_id: str, json_output: bool) -> None:
        app = app_of(ctx, json_output=json_output)
        with hinted(hint_for):
            item = resource(app).get(item_id)
        names = item_names(app, item, json_output=json_output)
        render_item(app, item, json_output=json_output, names=names)

    id_param = _param(
        "item_id", str, typer.Argument(..., metavar="ID", help=f"The {spec.singular} id.")
    )
    group.command("get")(
        _make(
            get_impl,
            [id_param, _json_param()],
            f"Show one {spec.singular}.\n\nExample: cstar {spec.name} get {spec.singular[:3]}_…",
        )
    )

    # create
    def create_impl(
        ctx: typer.Context, data: list[str] | None, json_output: bool, **kwargs: Any
    ) -> None:
        app = app_of(ctx, json_output=json_output)
        body = {**parse_data(data), **_values(spec.fields, kwargs)}
        with hinted(hint_for):
            item = resource(app).create(body)
        show_saved(app, item, "Created", json_output=json_output)

    group.command("create")(
        _make(
            create_impl,
            [*(_option(f, creating=True) for f in spec.fields), _data_param(), _json_param()],
            f"Create a {spec.singular}. Required: "
            + ", ".join(f.option for f in spec.fields if f.required)
            + f".\n\nExample: {spec.example_create}",
        )
    )

    # update
    def update_impl(
        ctx: typer.Context,
        item_id: str,
        data: list[str] | None,
        json_output: bool,
        **kwargs: Any,
    ) -> None:
        from cstar_cli.cli.errors import UsageError

        app = app_of(ctx, json_output=json_output)
        body = {**parse_data(data), **_values(spec.fields, kwargs)}
        if not body:
            raise UsageError(
                "Nothing to update.",
                f"Pass at least one field, e.g. `cstar {spec.name} update ID "
                f"{spec.fields[0].option} …` or -d key=value.",
            )
        with hinted(hint_for):
            item = resource(app).update(item_id, body)
        show_saved(app, item, "Updated", json_output=json_output)

    group.command("update")(
        _make(
            update_impl,
            [id_param, *(_option(f) for f in spec.fields), _data_param(), _json_param()],
            f"Change fields of a {spec.singular}.\n\n"
            f"Example: cstar {spec.name} update ID {spec.fields[0].option} 'New value'",
        )
    )

    # delete
    def delete_impl(ctx: typer.Context, item_id: str, yes: bool, json_output: bool) -> None:
        app = app_of(ctx, json_output=json_output)
        confirm(app, f"Delete {spec.singular} {item_id}?", yes=yes)
        with hinted(hint_for):
            result = resource(app).delete(item_id)
        show_done(app, result, f"Deleted {spec.singular} {item_id}.", json_output=json_output)

    group.command("delete")(
        _make(
            delete_impl,
            [
                id_param,
                _param("yes", bool, typer.Option(False, "--yes", "-y", help="Do not ask.")),
                _json_param(),
            ],
            f"Delete a {spec.singular} (asks first on a terminal).\n\n"
            f"Example: cstar {spec.name} delete ID --yes",
        )
    )
    return group
