"""Models of ``/test-helpers`` answers (the clock's are with the game's models).

A data file's objects (D34) are the API's own answers, less what a data file does not write:
``object``, ids of other platforms and what a load recomputes (counts, SLA deadlines and
tiers, XP, read time, feedback counts). So each is made from its resource's model, naming the
fields the export writes in the order it writes them; their types stay the resource's.
"""

from __future__ import annotations

from types import GenericAlias
from typing import Any, Literal

from pydantic import create_model

from cstar_cli.platform.game.models import SlaRule, SocialSend
from cstar_cli.platform.resources.articles.models import Article
from cstar_cli.platform.resources.categories.models import Category
from cstar_cli.platform.resources.customer_groups.models import CustomerGroup
from cstar_cli.platform.resources.customers.models import Customer
from cstar_cli.platform.resources.members.models import Member
from cstar_cli.platform.resources.models import Output
from cstar_cli.platform.resources.preferences.models import MemberPreferences, TeamPreferences
from cstar_cli.platform.resources.tickets.models import Message, Ticket
from cstar_cli.platform.resources.webhooks.models import Webhook
from cstar_cli.wire.enums import SocialKind


class ResetResult(Output):
    object: Literal["reset"]
    deleted: dict[str, int]
    """Rows deleted, by resource (``tickets``, ``events``, ``keys``, ``listenQueue``…)."""


# -- data files (D34): the document GET /test-helpers/export answers with, bare -----------------
def exported(model: type[Output], fields: str, doc: str | None = None, **more: Any) -> type[Output]:
    """``Data<Model>``: the ``fields`` of ``model`` (space-separated, in this order), then
    ``more`` (pydantic field definitions)."""
    picked: dict[str, Any] = {
        name: (model.model_fields[name].annotation, ...) for name in fields.split()
    }
    return create_model(f"Data{model.__name__}", __base__=Output, __doc__=doc, **picked, **more)


def many(model: type[Output]) -> Any:
    """``list[model]`` for a model made at run time (a type checker cannot follow those)."""
    return GenericAlias(list, (model,))


DataMember = exported(Member, "name email role avatarUrl joinedAt")
DataCustomer = exported(
    Customer,
    "id name email status sentiment tags notes customFields metadata createdAt updatedAt",
)
DataCategory = exported(Category, "id name slug description position createdAt updatedAt")
DataArticle = exported(
    Article,
    "id title slug excerpt content categoryId category status isPublic tags notes "
    "metaDescription metadata viewCount useCount publishedAt createdAt updatedAt",
)
DataMessage = exported(Message, "id content sender senderName isInternal createdAt")
DataTicket = exported(
    Ticket,
    # assignedTo: the assignee's email (member ids differ between platforms)
    "id title status priority channel customerId customerName assignedTo tags notes metadata "
    "createdAt updatedAt resolvedAt closedAt",
    messages=(many(DataMessage), ...),
)
DataWebhook = exported(
    Webhook,
    "id name description url events isActive legacySignature createdAt updatedAt",
    doc="A webhook without its signing secret (an import gives it a new one).",
)
DataSlaRule = exported(
    SlaRule,
    "id name priority responseTarget resolutionTarget businessHoursOnly enabled createdAt "
    "updatedAt",
)
DataCustomerGroup = exported(
    CustomerGroup,
    "id name slug description externalId customFields",
    doc="A customer group with its customers' ids (D41).",
    customerIds=(list[str], ...),
    createdAt=(str, ...),
    updatedAt=(str, ...),
)

DataTeamPreferences = exported(
    TeamPreferences, "timezone businessHours gamificationEnabled defaultPriority"
)
DataMemberPreferences = exported(
    MemberPreferences,
    "notifications theme soundEffects",
    doc="A member's own preferences; ``member`` is their email.",
    member=(str, ...),
)
DataSocial = exported(
    SocialSend,
    "id message ticketId createdAt",
    doc="A high-five or one-up; the members by email.",
    type=(SocialKind, ...),
    fromMemberId=(str, ...),
    toMemberId=(str, ...),
)


DataFile = create_model(
    "DataFile",
    __base__=Output,
    __doc__="A cStar data file (D34); ``POST /test-helpers/import`` and ``cstar dev --seed`` take "
    "one\n(there, ids are optional and references may use emails and slugs).",
    cstarData=(Literal[1], ...),
    members=(many(DataMember), ...),
    customers=(many(DataCustomer), ...),
    categories=(many(DataCategory), ...),
    articles=(many(DataArticle), ...),
    tickets=(many(DataTicket), ...),
    webhooks=(many(DataWebhook), ...),
    slaRules=(many(DataSlaRule), ...),
    customerGroups=(many(DataCustomerGroup), ...),
    memberPreferences=(many(DataMemberPreferences), ...),
    social=(many(DataSocial), ...),
    teamPreferences=(DataTeamPreferences, ...),
)


class ImportResult(Output):
    object: Literal["import"]
    deleted: dict[str, int]
    """Rows the reset deleted, by resource, as ``POST /test-helpers/reset`` says."""
    loaded: dict[str, int]
    """Objects loaded from the file, by list (``messages`` counted apart)."""
