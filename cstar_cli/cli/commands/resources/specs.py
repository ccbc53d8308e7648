"""The table that drives every resource command: each field becomes an option (``--title``,
``--customer-id``…), each filter a list option, each column a table column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cstar_cli.cli.columns import columns
from cstar_cli.wire import enums


@dataclass(frozen=True)
class Field:
    """A wire field exposed as an option."""

    name: str
    help: str
    choices: tuple[str, ...] | None = None
    kind: Literal["str", "bool", "list"] = "str"
    required: bool = False  # required on create
    create_only: bool = False  # not an option of update (the API refuses it there)

    @property
    def option(self) -> str:
        out = "".join(f"-{c.lower()}" if c.isupper() else c for c in self.name)
        return "--" + out.replace("_", "-")  # snake_case fields too (the community, D43)

    @property
    def param(self) -> str:
        return "f_" + self.option[2:].replace("-", "_")


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    fields: tuple[Field, ...]
    filters: tuple[Field, ...]
    columns: tuple[tuple[str, str], ...]
    example_create: str
    help: str = ""
    sort_example: str = "-createdAt"
    commands: tuple[str, ...] = ("list", "get", "create", "update", "delete")
    """The commands it has, in help order (``delete`` under ``delete_as``)."""
    delete_as: str = "delete"

    @property
    def singular(self) -> str:
        """``customer-groups`` -> ``customer group``."""
        return self.name.replace("-", " ").removesuffix("s")


TAGS = Field("tags", "Tag (repeatable: --tags a --tags b).", kind="list")
NOTES = Field("notes", "Internal notes.")
NAME = Field("name", "Full name.", required=True)
EMAIL = Field("email", "Email address.", required=True)
SEARCH = Field("search", "Text to search for.")
TAG_FILTER = Field("tag", "Only items with this exact tag.")

TICKETS = ResourceSpec(
    "tickets",
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
    columns=columns(
        "id",
        "title",
        "status",
        "priority",
        ("CUSTOMER", "customerName"),
        ("ASSIGNED", "assignee"),
        "due",
        "createdAt",
    ),
    example_create="cstar tickets create --title 'Printer on fire' --priority urgent",
    help="Manage tickets and their messages.",
)

CUSTOMERS = ResourceSpec(
    "customers",
    fields=(
        NAME,
        EMAIL,
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
    columns=columns(
        "id", "name", "email", "status", "sentiment", ("TICKETS", "ticketCount"), "createdAt"
    ),
    example_create="cstar customers create --name 'Ada Lovelace' --email ada@example.com",
    help="Manage customers.",
)

ARTICLES = ResourceSpec(
    "articles",
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
    columns=columns("id", "title", "status", ("PUBLIC", "isPublic"), "category", "updatedAt"),
    example_create="cstar articles create --title 'Reset your password' --status published",
    help="Manage knowledge-base articles.",
)

ROLES = enums.ROLES
MEMBERS = ResourceSpec(
    "members",
    fields=(
        NAME,
        EMAIL,
        Field("role", "Role.", ROLES),
    ),
    filters=(Field("role", "Only this role.", ROLES),),
    columns=columns("id", "name", "email", "role", "level", "xp"),
    example_create="cstar members create --name 'Grace Hopper' --email grace@example.com",
    sort_example="-joinedAt",
    help="Manage team members.",
)

# The community (D43) is snake_case on the wire, so are its fields and sort keys.
COMMUNITY_TOPICS = ResourceSpec(
    "community topics",
    fields=(
        Field("name", "Topic name.", required=True),
        Field("slug", "URL slug, e.g. feature-requests (default: from the name)."),
        Field("description", "What the topic is for."),
    ),
    filters=(),
    columns=columns("id", "name", "slug", ("POSTS", "post_count"), "position"),
    example_create="cstar community topics create --name 'Feature requests'",
    help="Community topics: list, get, create, update, delete.",
    sort_example="position",
)

MEMBER_AUTHOR = Field(
    "member_id", "The member (mem_…) who writes, with a secret key.", create_only=True
)
COMMUNITY_POSTS = ResourceSpec(
    "community posts",
    fields=(
        Field("title", "Post title.", required=True),
        Field("body", "Post text.", required=True),
        Field("topic_id", "Topic id (top_…) or slug."),
        Field("status", "Status.", enums.POST_STATUSES),
        Field("visibility", "Who may read it.", enums.POST_VISIBILITIES),
        Field("is_pinned", "Pinned on top of the lists.", kind="bool"),
        Field("is_locked", "Locked: takes no more comments.", kind="bool"),
        MEMBER_AUTHOR,
    ),
    filters=(
        Field("topic", "Only this topic (slug or top_… id)."),
        Field("status", "Only this status.", enums.POST_STATUSES),
        Field("visibility", "Only this visibility.", enums.POST_VISIBILITIES),
        SEARCH,
    ),
    columns=columns(
        "id",
        "title",
        "status",
        ("VOTES", "vote_count"),
        ("COMMENTS", "comment_count"),
        ("AUTHOR", "author_name"),
        "created_at",
    ),
    example_create="cstar community posts create --title 'Dark mode' --body 'Please' "
    "--member-id mem_…",
    help="Community posts: list, get, create, update, delete, vote, unvote.",
    sort_example="votes",
)

CUSTOMER_GROUPS = ResourceSpec(
    "customer-groups",
    fields=(
        Field("name", "Group name, e.g. a company.", required=True),
        Field("slug", "URL slug (made from the name when omitted)."),
        Field("description", "What the group is."),
        Field("externalId", "Its id in another system (a Zendesk organization id, say)."),
    ),
    filters=(Field("search", "Text in the name."),),
    columns=columns(
        "id", "name", "slug", ("CUSTOMERS", "customerCount"), "externalId", "createdAt"
    ),
    example_create="cstar customer-groups create --name 'Acme Corp' --external-id zd_1042",
    help="Manage customer groups (companies, accounts) and who is in them.",
)

INVITES = ResourceSpec(
    "invites",
    fields=(
        Field("email", "Who to invite.", required=True),
        Field("role", "Their role once they accept.", ROLES),
    ),
    filters=(Field("status", "Only this status.", ("pending", "revoked", "expired")),),
    columns=columns("id", "email", "role", "status", "expiresAt", "createdAt"),
    example_create="cstar invites create --email grace@example.com --role agent",
    help="Invite people to the team: create, list, revoke.",
    commands=("list", "get", "create", "delete"),
    delete_as="revoke",
)
