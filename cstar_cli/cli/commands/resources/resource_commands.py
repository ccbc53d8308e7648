"""``cstar tickets|customers|articles|members list|get|create|update|delete``.

:class:`ResourceCommands` is the five commands of one resource spec (:mod:`.specs`): each method
is what one command runs, and its docstring is that command's help. ``cstar tickets create`` runs
``ResourceCommands(TICKETS).create``, registered with Typer as ``tickets_create``;
``cstar customers list`` runs ``ResourceCommands(CUSTOMERS).list_`` (``customers_list``).

A resource's fields are options (``--title``, ``--customer-id``…) and Typer reads a command's
options from its function's signature, so :meth:`ResourceCommands.group` lists each command's
options and :func:`typer_command` writes them as a signature: the one place that does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
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


class ResourceCommands:
    """``cstar <resource> list|get|create|update|delete`` for one resource spec.

    A method's docstring is its command's help once the spec's words are filled in
    (``{spec.singular}``…; see :meth:`help_of`).
    """

    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec

    def group(self) -> typer.Typer:
        """``cstar <resource>``: each command with its options, in help order."""
        spec = self.spec
        item_id = _param(
            "item_id", str, typer.Argument(..., metavar="ID", help=f"The {spec.singular} id.")
        )
        sort = _param(
            "sort",
            str | None,
            typer.Option(
                None,
                "--sort",
                help=f"Sort field; prefix '-' for descending (e.g. {spec.sort_example}).",
            ),
        )
        commands: dict[str, tuple[Callable[..., None], list[inspect.Parameter]]] = {
            "list": (
                self.list_,
                [*_options(spec.filters), PAGE, PAGE_SIZE, ALL_PAGES, sort, WIDE, JSON],
            ),
            "get": (self.get, [item_id, JSON]),
            "create": (self.create, [*_options(spec.fields, creating=True), DATA, JSON]),
            "update": (self.update, [item_id, *_options(_updatable(spec)), DATA, JSON]),
            "delete": (self.delete, [item_id, YES, JSON]),
        }
        group = typer.Typer(help=spec.help, no_args_is_help=True)
        for verb, (method, params) in commands.items():
            if verb not in spec.commands:
                continue
            name = spec.delete_as if verb == "delete" else verb
            command = typer_command(
                method,
                params,
                name=f"{spec.name.replace('-', '_')}_{name}",
                doc=self.help_of(method),
            )
            group.command(name)(command)
        return group

    def help_of(self, method: Callable[..., None]) -> str:
        """The command's help: the method's docstring with the spec's words filled in."""
        spec = self.spec
        required = ", ".join(f.option for f in spec.fields if f.required)
        doc = inspect.cleandoc(method.__doc__ or "")
        article = "an" if spec.singular[:1] in "aeiou" else "a"
        return doc.format(
            spec=spec,
            required=required,
            id_start=spec.singular[:3],
            a=f"{article} {spec.singular}",
            remove=spec.delete_as.capitalize(),
        )

    # -- the commands ----------------------------------------------------------------------------

    def list_(
        self,
        ctx: typer.Context,
        *,
        page: int,
        page_size: int,
        all_pages: bool,
        sort: str | None,
        wide: bool,
        json_output: bool,
        **filters: Any,
    ) -> None:
        """List {spec.name}, newest first, with filters and paging.

        Example: cstar {spec.name} list --page-size 50 --sort {spec.sort_example} --json
        """
        spec = self.spec
        app = app_of(ctx, json_output=json_output)
        params = _values(spec.filters, filters)
        if sort:
            params["sort"] = sort
        show_pages(
            app,
            self.resource(app),
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

    def get(self, ctx: typer.Context, *, item_id: str, json_output: bool) -> None:
        """Show one {spec.singular}.

        Example: cstar {spec.name} get {id_start}_…
        """
        app = app_of(ctx, json_output=json_output)
        with hinted(self.hint):
            item = self.resource(app).get(item_id)
        names = item_names(app, item, json_output=json_output)
        render_item(app, item, json_output=json_output, names=names)

    def create(
        self, ctx: typer.Context, *, data: list[str] | None, json_output: bool, **fields: Any
    ) -> None:
        """Create {a}. Required: {required}.

        Example: {spec.example_create}
        """
        app = app_of(ctx, json_output=json_output)
        body = {**parse_data(data), **_values(self.spec.fields, fields)}
        with hinted(lambda err: self.hint(err, app, body)):
            item = self.resource(app).create(body)
        self.show_saved(app, item, "Created", json_output=json_output)

    def update(
        self,
        ctx: typer.Context,
        *,
        item_id: str,
        data: list[str] | None,
        json_output: bool,
        **fields: Any,
    ) -> None:
        """Change fields of {a}.

        Example: cstar {spec.name} update ID {spec.fields[0].option} 'New value'
        """
        from cstar_cli.cli.errors import UsageError

        spec = self.spec
        app = app_of(ctx, json_output=json_output)
        body = {**parse_data(data), **_values(_updatable(spec), fields)}
        if not body:
            raise UsageError(
                "Nothing to update.",
                f"Pass at least one field, e.g. `cstar {spec.name} update ID "
                f"{spec.fields[0].option} …` or -d key=value.",
            )
        with hinted(lambda err: self.hint(err, app, body)):
            item = self.resource(app).update(item_id, body)
        self.show_saved(app, item, "Updated", json_output=json_output)

    def delete(self, ctx: typer.Context, *, item_id: str, yes: bool, json_output: bool) -> None:
        """{remove} {a} (asks first on a terminal).

        Example: cstar {spec.name} {spec.delete_as} ID --yes
        """
        singular, verb = self.spec.singular, self.spec.delete_as
        app = app_of(ctx, json_output=json_output)
        confirm(app, f"{verb.capitalize()} {singular} {item_id}?", yes=yes)
        with hinted(self.hint):
            result = self.resource(app).delete(item_id)
        done = f"{verb.capitalize()}d {singular} {item_id}."
        show_done(app, result, done, json_output=json_output)

    # -- what the commands share -----------------------------------------------------------------

    def resource(self, app: AppContext) -> Any:
        """The client's resource for the spec (``client.tickets``, ``client.customer_groups``…)."""
        return getattr(app.client(), self.spec.name.replace("-", "_"))

    def show_saved(self, app: AppContext, item: Any, verb: str, *, json_output: bool) -> None:
        """``Created ticket tkt_….`` and the item (or the item as JSON)."""
        show_done(
            app,
            item,
            f"{verb} {self.spec.singular} {item.get('id')}.",
            json_output=json_output,
            then=lambda: render_item(
                app, item, json_output=False, names=item_names(app, item, json_output=False)
            ),
        )

    def hint(
        self, err: CstarAPIError, app: AppContext | None = None, body: dict[str, Any] | None = None
    ) -> str | None:
        """Point a 400 about a field at its option, a 409 at what already has the value, and a
        404 at the right list command."""
        name = self.spec.name
        if err.status == 404:
            return f"Check the id; `cstar {name} list` shows what exists."
        field = next((f for f in self.spec.fields if err.param == f.name), None)
        if field is None:
            return None
        value = (body or {}).get(field.name)
        if err.status == 409 and app is not None and isinstance(value, str):
            return self.taken_hint(app, field, value)
        if err.code == "parameter_missing":
            return f"Pass {field.option} (or -d {field.name}=…)."
        return f"Check the value of {field.option} (or -d {field.name}=…)."

    def taken_hint(self, app: AppContext, field: Field, value: str) -> str:
        """What to say when another item already has this unique value (an email): which."""
        from cstar_cli.client.errors import CstarAPIError

        name, singular = self.spec.name, self.spec.singular
        search = any(f.name == "search" for f in self.spec.filters)
        try:
            page = self.resource(app).list({"search": value} if search else {"pageSize": 100})
            found = [i for i in page.data if str(i.get(field.name, "")).lower() == value.lower()]
        except CstarAPIError:
            found = []
        if not found:
            look = f"--search {value}" if search else "--page-size 100"
            return f"`cstar {name} list {look}` shows it; or pass another {field.option}."
        item_id, label = found[0].get("id"), found[0].get("name")
        named = f" ({label})" if label else ""
        return (
            f"It is {singular} {item_id}{named}: `cstar {name} get {item_id}` shows it, "
            f"`cstar {name} update {item_id} …` changes it; or pass another {field.option}."
        )


def _values(spec_fields: Sequence[Field], given: dict[str, Any]) -> dict[str, Any]:
    """The body (or query) of the field options that were given, by wire name."""
    out: dict[str, Any] = {}
    for f in spec_fields:
        value = given.get(f.param)
        if value is None or (f.kind == "list" and not value):
            continue
        out[f.name] = list(value) if f.kind == "list" else value
    return out


# -- what Typer reads ---------------------------------------------------------------------------

CTX = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)


def typer_command(
    run: Callable[..., None], params: Sequence[inspect.Parameter], *, name: str, doc: str
) -> Callable[..., None]:
    """``run`` as a function Typer can read: ``name(ctx, *params)``, with ``doc`` as its help.

    Typer builds a command's arguments and options from its function's signature and its help
    from the docstring; a resource's options come from its spec, so they are written here, on a
    function named after the command (``tickets_create``) that passes what Typer parsed to
    ``run`` as keyword arguments.
    """

    def command(**kwargs: Any) -> None:
        run(**kwargs)

    signature = [CTX, *params]
    command.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in signature} | {"return": None}
    command.__name__ = command.__qualname__ = name
    command.__doc__ = doc
    return command


def _param(name: str, annotation: Any, info: Any) -> inspect.Parameter:
    """A keyword parameter ``name`` whose default (``typer.Option``…) Typer turns into an option."""
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation
    )


def _updatable(spec: ResourceSpec) -> tuple[Field, ...]:
    """The fields ``update`` takes: all but those only a create may set."""
    return tuple(f for f in spec.fields if not f.create_only)


def _options(fields: Sequence[Field], *, creating: bool = False) -> list[inspect.Parameter]:
    """The option of each field; on ``create`` a required field says so (``-d`` may give it)."""
    return [_option(f, creating=creating) for f in fields]


def _option(f: Field, *, creating: bool) -> inspect.Parameter:
    text = f"{f.help}  [required]" if creating and f.required else f.help
    decl = f"{f.option}/--no-{f.option[2:]}" if f.kind == "bool" else f.option
    return _param(f.param, _annotation(f), typer.Option(None, decl, help=text, show_default=False))


def _annotation(f: Field) -> Any:
    """The type Typer gives the field's option: a flag, a repeatable option, a choice or text."""
    if f.kind == "bool":
        return bool | None
    if f.kind == "list":
        return list[str] | None
    if f.choices:
        return Literal[f.choices] | None
    return str | None


# The options the commands share, in Typer's terms (a parameter Typer reads, not a value).
PAGE = _param("page", int, typer.Option(1, "--page", min=1, help="Page number, from 1."))
PAGE_SIZE = _param(
    "page_size",
    int,
    typer.Option(20, "--page-size", min=1, max=100, help="Items per page (1-100)."),
)
ALL_PAGES = _param("all_pages", bool, typer.Option(False, "--all", help="Fetch every page."))
WIDE = _param("wide", bool, typer.Option(False, "--wide", help=WIDE_HELP))
JSON = _param("json_output", bool, typer.Option(False, "--json", help=JSON_HELP))
DATA = _param(
    "data", list[str] | None, typer.Option(None, "--data", "-d", help=DATA_HELP, show_default=False)
)
YES = _param("yes", bool, typer.Option(False, "--yes", "-y", help="Do not ask."))
