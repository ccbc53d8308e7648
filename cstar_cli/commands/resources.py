"""Resource commands: ``cstar tickets|customers|articles|members list|get|create|update|delete``
and ``cstar tickets messages list|create``.

One table of resource specs drives every command: each field becomes an option (``--title``,
``--customer-id``…), anything else can be sent with ``-d key=value``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import typer

from cstar_cli.commands._common import DATA_HELP, JSON_HELP, app_of, confirm, parse_data
from cstar_cli.render import MESSAGE_COLUMNS, render_item, render_list, show_pages
from cstar_cli.wire import enums


@dataclass(frozen=True)
class Field:
    """A wire field exposed as an option."""

    name: str
    help: str
    choices: tuple[str, ...] | None = None
    kind: Literal["str", "bool", "list"] = "str"
    required: bool = False  # required on create

    @property
    def option(self) -> str:
        out = "".join(f"-{c.lower()}" if c.isupper() else c for c in self.name)
        return "--" + out

    @property
    def param(self) -> str:
        return "f_" + self.option[2:].replace("-", "_")


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    singular: str
    fields: tuple[Field, ...]
    filters: tuple[Field, ...]
    columns: tuple[tuple[str, str], ...]
    example_create: str
    help: str = ""
    sort_example: str = "-createdAt"
    detail_skip: tuple[str, ...] = field(default=("object",))


TAGS = Field("tags", "Tag (repeatable: --tags a --tags b).", kind="list")
NOTES = Field("notes", "Internal notes.")
SEARCH = Field("search", "Text to search for.")
TAG_FILTER = Field("tag", "Only items with this exact tag.")

TICKETS = ResourceSpec(
    "tickets",
    "ticket",
    fields=(
        Field("title", "Ticket title.", required=True),
        Field("status", "Status.", enums.TICKET_STATUSES),
        Field("priority", "Priority.", enums.PRIORITIES),
        Field("customerId", "Customer id (cus_…)."),
        Field("customerName", "Customer name, when there is no customer record."),
        Field("assignedTo", "Member id (mem_…) to assign."),
        TAGS,
        NOTES,
    ),
    filters=(
        Field("status", "Only this status.", enums.TICKET_STATUSES),
        Field("priority", "Only this priority.", enums.PRIORITIES),
        Field("assignedTo", "Only tickets assigned to this member (mem_…)."),
        Field("customerId", "Only this customer's tickets (cus_…)."),
        SEARCH,
        TAG_FILTER,
        Field("createdAfter", "Created at or after (ISO-8601)."),
        Field("createdBefore", "Created before (ISO-8601)."),
        Field("expand", "Comma list of relations to inline, e.g. customer."),
    ),
    columns=(
        ("ID", "id"),
        ("TITLE", "title"),
        ("STATUS", "status"),
        ("PRIORITY", "priority"),
        ("CUSTOMER", "customerName"),
        ("ASSIGNED", "assignedTo"),
        ("CREATED", "createdAt"),
    ),
    example_create="cstar tickets create --title 'Printer on fire' --priority urgent",
    help="Manage tickets and their messages.",
)

CUSTOMERS = ResourceSpec(
    "customers",
    "customer",
    fields=(
        Field("name", "Full name.", required=True),
        Field("email", "Email address.", required=True),
        Field("status", "Status.", enums.CUSTOMER_STATUSES),
        Field(
            "sentiment",
            "Sentiment.",
            enums.SENTIMENTS,
        ),
        TAGS,
        NOTES,
    ),
    filters=(
        Field("status", "Only this status.", enums.CUSTOMER_STATUSES),
        Field(
            "sentiment",
            "Only this sentiment.",
            enums.SENTIMENTS,
        ),
        SEARCH,
        TAG_FILTER,
    ),
    columns=(
        ("ID", "id"),
        ("NAME", "name"),
        ("EMAIL", "email"),
        ("STATUS", "status"),
        ("SENTIMENT", "sentiment"),
        ("TICKETS", "ticketCount"),
        ("CREATED", "createdAt"),
    ),
    example_create="cstar customers create --name 'Ada Lovelace' --email ada@example.com",
    help="Manage customers.",
)

ARTICLES = ResourceSpec(
    "articles",
    "article",
    fields=(
        Field("title", "Article title.", required=True),
        Field("content", "Body (Markdown)."),
        Field("slug", "URL slug, e.g. reset-password."),
        Field("excerpt", "Short summary."),
        Field("category", "Category name."),
        Field("categoryId", "Category id."),
        Field("status", "Status.", enums.ARTICLE_STATUSES),
        Field("isPublic", "Visible in the public library.", kind="bool"),
        Field("metaDescription", "SEO description."),
        TAGS,
        NOTES,
    ),
    filters=(
        Field("status", "Only this status.", enums.ARTICLE_STATUSES),
        Field("category", "Only this category (id or name)."),
        Field("isPublic", "Only public (or, with --no-is-public, private) articles.", kind="bool"),
        SEARCH,
        TAG_FILTER,
    ),
    columns=(
        ("ID", "id"),
        ("TITLE", "title"),
        ("STATUS", "status"),
        ("PUBLIC", "isPublic"),
        ("CATEGORY", "category"),
        ("UPDATED", "updatedAt"),
    ),
    example_create="cstar articles create --title 'Reset your password' --status published",
    help="Manage knowledge-base articles.",
)

ROLES = enums.ROLES
MEMBERS = ResourceSpec(
    "members",
    "member",
    fields=(
        Field("name", "Full name.", required=True),
        Field("email", "Email address.", required=True),
        Field("role", "Role.", ROLES),
    ),
    filters=(Field("role", "Only this role.", ROLES),),
    columns=(
        ("ID", "id"),
        ("NAME", "name"),
        ("EMAIL", "email"),
        ("ROLE", "role"),
        ("LEVEL", "level"),
        ("XP", "xp"),
    ),
    example_create="cstar members create --name 'Grace Hopper' --email grace@example.com",
    sort_example="-joinedAt",
    help="Manage team members.",
)

SPECS = (TICKETS, CUSTOMERS, ARTICLES, MEMBERS)


# -- building commands from specs ---------------------------------------------------------------


def _annotation(f: Field) -> Any:
    if f.kind == "bool":
        return bool | None
    if f.kind == "list":
        return list[str] | None
    if f.choices:
        return Literal[f.choices] | None
    return str | None


def _option(f: Field) -> inspect.Parameter:
    if f.kind == "bool":
        decl = f"{f.option}/--no-{f.option[2:]}"
        info = typer.Option(None, decl, help=f.help, show_default=False)
    else:
        info = typer.Option(None, f.option, help=f.help, show_default=False)
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


def _annotate(spec: ResourceSpec, err: Exception) -> None:
    """Point a 400 about a field at its option, and a 404 at the right list command."""
    from cstar_cli.api.errors import CstarAPIError

    if not isinstance(err, CstarAPIError) or err.hint is not None:
        return
    if err.status == 404:
        err.hint = f"Check the id; `cstar {spec.name} list` shows what exists."
        return
    for f in spec.fields:
        if err.param == f.name:
            err.hint = f"Pass {f.option} (or -d {f.name}=…)."


def build_resource(spec: ResourceSpec) -> typer.Typer:
    group = typer.Typer(help=spec.help, no_args_is_help=True)

    # list
    def list_impl(
        ctx: typer.Context,
        page: int,
        page_size: int,
        all_pages: bool,
        sort: str | None,
        json_output: bool,
        **kwargs: Any,
    ) -> None:
        app = app_of(ctx, json_output=json_output)
        params = _values(spec.filters, kwargs)
        if sort:
            params["sort"] = sort
        show_pages(
            app,
            getattr(app.client(), spec.name),
            params,
            page=page,
            page_size=page_size,
            all_pages=all_pages,
            json_output=json_output,
            render=lambda items: render_list(app, items, spec.columns, json_output=json_output),
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
        try:
            item = getattr(app.client(), spec.name).get(item_id)
        except Exception as err:
            _annotate(spec, err)
            raise
        render_item(app, item, json_output=json_output)

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
        try:
            item = getattr(app.client(), spec.name).create(body)
        except Exception as err:
            _annotate(spec, err)
            raise
        if not json_output:
            app.printer.success(f"Created {spec.singular} {item.get('id')}.")
        render_item(app, item, json_output=json_output)

    group.command("create")(
        _make(
            create_impl,
            [*(_option(f) for f in spec.fields), _data_param(), _json_param()],
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
        from cstar_cli.errors import UsageError

        app = app_of(ctx, json_output=json_output)
        body = {**parse_data(data), **_values(spec.fields, kwargs)}
        if not body:
            raise UsageError(
                "Nothing to update.",
                f"Pass at least one field, e.g. `cstar {spec.name} update ID "
                f"{spec.fields[0].option} …` or -d key=value.",
            )
        try:
            item = getattr(app.client(), spec.name).update(item_id, body)
        except Exception as err:
            _annotate(spec, err)
            raise
        if not json_output:
            app.printer.success(f"Updated {spec.singular} {item.get('id')}.")
        render_item(app, item, json_output=json_output)

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
        try:
            result = getattr(app.client(), spec.name).delete(item_id)
        except Exception as err:
            _annotate(spec, err)
            raise
        if json_output:
            app.printer.json(result)
        else:
            app.printer.success(f"Deleted {spec.singular} {item_id}.")

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


# -- ticket messages ---------------------------------------------------------------------------


def messages_list(
    ctx: typer.Context,
    ticket_id: str = typer.Argument(..., metavar="TICKET_ID", help="The ticket id."),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List a ticket's messages, oldest first.

    Example: cstar tickets messages list tkt_… --json
    """
    app = app_of(ctx, json_output=json_output)
    page = app.client().tickets.messages.list(ticket_id)
    render_list(app, page.data, MESSAGE_COLUMNS, json_output=json_output)


def messages_create(
    ctx: typer.Context,
    ticket_id: str = typer.Argument(..., metavar="TICKET_ID", help="The ticket id."),
    content: str | None = typer.Option(None, "--content", "-m", help="Message text (required)."),
    sender: Literal["agent", "customer", "system"] | None = typer.Option(
        None, "--sender", help="Who wrote it (default agent)."
    ),
    sender_name: str | None = typer.Option(None, "--sender-name", help="Display name."),
    internal: bool | None = typer.Option(
        None, "--internal/--public", help="Internal note (not shown to the customer)."
    ),
    data: list[str] | None = typer.Option(None, "--data", "-d", help=DATA_HELP),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add a message to a ticket.

    Example: cstar tickets messages create tkt_… --content 'On it!' --internal
    """
    app = app_of(ctx, json_output=json_output)
    body = parse_data(data)
    for key, value in (
        ("content", content),
        ("sender", sender),
        ("senderName", sender_name),
        ("isInternal", internal),
    ):
        if value is not None:
            body[key] = value
    message = app.client().tickets.messages.create(ticket_id, body)
    if not json_output:
        app.printer.success(f"Added message {message.get('id')} to {ticket_id}.")
    render_item(app, message, json_output=json_output)


def build(name: str) -> typer.Typer:
    """``cstar tickets|customers|articles|members``: one group per resource spec."""
    spec = {s.name: s for s in (TICKETS, CUSTOMERS, ARTICLES, MEMBERS)}[name]
    group = build_resource(spec)
    if spec is TICKETS:
        messages = typer.Typer(help="A ticket's messages: list, create.", no_args_is_help=True)
        messages.command("list")(messages_list)
        messages.command("create")(messages_create)
        group.add_typer(messages, name="messages")
    return group
