"""A data file into an environment (D34): every object checked and stored in one go, inside the
caller's transaction, so a bad file leaves nothing behind; no events, no game awards.

The lists go in the order their references need: members, customers, categories, articles, SLA
rules (tickets' deadlines follow them), then tickets with their messages, then webhooks. Ids are
kept when given (``cus_…`` or a bare UUID) and minted when absent; a reference may name its
object by id or by natural key (a customer or member by email, a category by slug). Fields the
API shows but a load recomputes are accepted and ignored; anything else unknown is an error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.delivery.urls import check_url
from cstar_cli.platform.game.models import SlaRuleCreate
from cstar_cli.platform.game.sla import RULE_PREFIX, ensure_scope
from cstar_cli.platform.game.sla_rules import rule_columns
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.articles.models import ArticleCreate
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.categories.models import CategoryCreate
from cstar_cli.platform.resources.customers.models import CustomerCreate
from cstar_cli.platform.resources.customers.service import customer_columns
from cstar_cli.platform.resources.members.models import MemberCreate
from cstar_cli.platform.resources.members.service import ROLE_PERMISSIONS, new_member
from cstar_cli.platform.resources.webhooks.models import WebhookCreate
from cstar_cli.platform.resources.webhooks.service import check_events, new_secret
from cstar_cli.platform.store.db import Database, Row, dumps
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.platform.testhelpers.datafile.problems import (
    DataFileError,
    M,
    Path,
    a_count,
    a_list,
    a_time,
    an_object,
    json_path,
    unknown,
    validated,
)
from cstar_cli.platform.testhelpers.guard import TEST_SCOPE
from cstar_cli.wire.datafile import FORMAT, OBJECTS, RESOURCES, SECTIONS, VERSION
from cstar_cli.wire.times import iso

LOADED = (*RESOURCES[:5], "messages", *RESOURCES[5:], *OBJECTS)
"""What a load counts, in the document's order (messages after their tickets)."""


class Loader:
    """Loads one document into a team's test environment (call inside a transaction)."""

    def __init__(self, db: Database, vault: SecretBox, team_id: str, now: float) -> None:
        self.db = db
        self.vault = vault
        self.team_id = team_id
        self.now = now
        self.stamp = iso(now)
        self.loaded = dict.fromkeys(LOADED, 0)
        self._ids: dict[tuple[str, str], Path] = {}

    def load(self, document: Any) -> dict[str, int]:
        """Store the document's objects; what was loaded, per list (messages counted)."""
        from cstar_cli.platform.testhelpers.datafile.community import load_community, load_csat
        from cstar_cli.platform.testhelpers.datafile.groups import LIST, load_groups
        from cstar_cli.platform.testhelpers.datafile.preferences import load_extras
        from cstar_cli.platform.testhelpers.datafile.tickets import load_tickets

        doc = self.check_document(document)
        steps: list[tuple[str, Callable[[int, dict[str, Any]], None]]] = [
            ("members", self.member),
            ("customers", self.customer),
            ("categories", self.category),
            ("articles", self.article),
        ]
        for name, step in steps:
            self.each(doc, name, step)
        if "slaRules" in doc:  # the file's rules replace the environment's (none: no SLA)
            self.db.execute(f"DELETE FROM sla_rules WHERE {TEST_SCOPE}", (self.team_id,))
            ensure_scope(self.db, self.team_id, False)
            self.db.execute(
                f"UPDATE game_scopes SET sla_seeded = 1 WHERE {TEST_SCOPE}", (self.team_id,)
            )
            self.each(doc, "slaRules", self.sla_rule)
        load_tickets(self, a_list(doc.get("tickets", []), ("tickets",)))
        self.each(doc, "webhooks", self.webhook)
        if "community" in doc:
            load_community(self, doc["community"])
        if "csat" in doc:
            load_csat(self, doc["csat"])
        load_extras(self, doc)
        load_groups(self, doc.get(LIST, []))  # after the customers they hold (D41)
        return self.loaded

    def check_document(self, document: Any) -> dict[str, Any]:
        doc = an_object(document, (), "cStar data file")
        version = doc.get(FORMAT)
        if version is None:
            raise DataFileError(
                (FORMAT,), f'missing: a cStar data file starts with {{"{FORMAT}": {VERSION}, …}}.'
            )
        if version != VERSION or isinstance(version, bool):
            raise DataFileError(
                (FORMAT,),
                f"this cstar reads version {VERSION} of the format, not {version!r}: "
                "upgrade cstar, or export the file again with this version.",
            )
        for key in doc:
            known = (*RESOURCES, *OBJECTS, *SECTIONS)
            if key != FORMAT and key not in known:
                raise DataFileError((key,), unknown(key, known, "cStar data file"))
        return doc

    def each(
        self, doc: dict[str, Any], name: str, step: Callable[[int, dict[str, Any]], None]
    ) -> None:
        for index, item in enumerate(a_list(doc.get(name, []), (name,))):
            step(index, item)

    def count(self, name: str, n: int = 1) -> None:
        self.loaded[name] = self.loaded.get(name, 0) + n

    # -- what every object shares ---------------------------------------------------------------
    def fields(
        self,
        item: Any,
        path: Path,
        noun: str,
        *,
        own: Collection[str] = ("id", "createdAt", "updatedAt"),
        derived: Collection[str] = (),
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(body, own)``: the fields the API's request model checks, and those the loader
        reads itself; ``object`` must name the kind, and ``derived`` fields are dropped."""
        obj = an_object(item, path, noun)
        kind = noun.replace(" ", "_").lower()
        if "object" in obj and obj["object"] != kind:
            raise DataFileError((*path, "object"), f'must be "{kind}" (or left out).')
        body = {k: v for k, v in obj.items() if k not in own and k not in derived and k != "object"}
        mine = {k: v for k, v in obj.items() if k in own and v is not None}
        return body, mine

    def body(
        self,
        item: Any,
        path: Path,
        model: type[M],
        noun: str,
        *,
        own: Collection[str] = ("id", "createdAt", "updatedAt"),
        derived: Collection[str] = (),
    ) -> tuple[M, dict[str, Any]]:
        """``(valid, own)``: the object as the API's request ``model`` checks it (a ``noun``),
        and the fields the loader reads itself (:meth:`fields`)."""
        body, mine = self.fields(item, path, noun, own=own, derived=derived)
        return validated(model, body, path, noun), mine

    def take_id(self, own: dict[str, Any], path: Path, prefix: str, table: str) -> str:
        """The object's id as stored: the file's (unique in the file), or a new one."""
        if "id" not in own:
            return ids.new_hex()
        value = own["id"]
        where = (*path, "id")
        if not isinstance(value, str):
            raise DataFileError(where, f"must be a string such as {prefix}<32 hex> (or left out).")
        hex_id = self.parse(value, prefix, where)
        if (table, hex_id) in self._ids:
            first = self._ids[(table, hex_id)]
            raise DataFileError(where, f"'{value}' is also the id of {_at(first)}.")
        self._ids[(table, hex_id)] = path
        return hex_id

    def parse(self, value: str, prefix: str, where: Path) -> str:
        try:
            return ids.parse(value, prefix, "id")
        except ApiError as err:
            raise DataFileError(where, err.message.replace(" for id", "")) from None

    def lookup(self, reference: str, prefix: str, where: Path, email: str) -> tuple[str, str]:
        """The column and value that find what ``reference`` names: an email (the ``email``
        column, lowercased) or a wire id (or UUID) of ``prefix``."""
        if "@" in reference:
            return email, reference.lower()
        return "id", self.parse(reference, prefix, where)

    def times(self, own: dict[str, Any], path: Path) -> tuple[str, str]:
        """``(createdAt, updatedAt)``: as given, else now (updatedAt: createdAt)."""
        created = self.time(own, "createdAt", path) or self.stamp
        return created, self.time(own, "updatedAt", path) or created

    def time(self, own: dict[str, Any], name: str, path: Path) -> str | None:
        return None if name not in own else a_time(own[name], (*path, name))

    def insert(self, table: str, row: Row, path: Path) -> None:
        try:
            self.db.insert(table, row)
        except sqlite3.IntegrityError as err:
            if f"{table}.id" in str(err):
                raise DataFileError(
                    (*path, "id"),
                    "this id is taken on this platform (by another team or environment); "
                    "leave it out and a new one is minted.",
                ) from None
            raise DataFileError(path, f"cannot be stored ({err}).") from None

    def new_row(self, hex_id: str, values: Row, created: str, updated: str) -> Row:
        return {
            "id": hex_id,
            "team_id": self.team_id,
            "livemode": 0,
            **values,
            "created_at": created,
            "updated_at": updated,
        }

    def taken(self, table: str, column: str, value: str) -> bool:
        row = self.db.one(
            f"SELECT 1 FROM {table} WHERE {TEST_SCOPE} AND {column} = ? LIMIT 1",
            (self.team_id, value),
        )
        return row is not None

    def unique(self, table: str, column: str, value: str, where: Path, what: str) -> None:
        if self.taken(table, column, value):
            raise DataFileError(where, f"another {what} in the file already has '{value}'.")

    # -- the lists ----------------------------------------------------------------------------
    def member(self, index: int, item: Any) -> None:
        """A member by email: a seed member of that email takes the file's name and role."""
        path: Path = ("members", index)
        derived = ("id", "userId", "roleDisplayName", "permissions", "level", "xp")
        valid, own = self.body(
            item, path, MemberCreate, "member", own=("joinedAt",), derived=derived
        )
        joined = self.time(own, "joinedAt", path) or self.stamp
        found = self.db.one(
            f"SELECT id, seed FROM members WHERE {TEST_SCOPE} AND lower(email) = ? ORDER BY rowid",
            (self.team_id, valid.email.lower()),
        )
        if found is not None and not found["seed"]:
            raise DataFileError((*path, "email"), "another member in the file has this email.")
        if found is not None:
            values = {"name": valid.name, "role": valid.role, "avatar_url": valid.avatarUrl}
            values["permissions"] = dumps(ROLE_PERMISSIONS[valid.role])
            self.db.update("members", "id", found["id"], values)
        else:
            row = new_member(
                self.team_id, False, valid.name, valid.email, valid.role, joined, valid.avatarUrl
            )
            self.insert("members", row, path)
        self.count("members")

    def customer(self, index: int, item: Any) -> None:
        path: Path = ("customers", index)
        valid, own = self.body(item, path, CustomerCreate, "customer", derived=("ticketCount",))
        hex_id = self.take_id(own, path, ids.CUSTOMER, "customers")
        self.unique("customers", "email_key", valid.email.lower(), (*path, "email"), "customer")
        values = customer_columns(valid)
        self.insert("customers", self.new_row(hex_id, values, *self.times(own, path)), path)
        self.count("customers")

    def category(self, index: int, item: Any) -> None:
        path: Path = ("categories", index)
        valid, own = self.body(item, path, CategoryCreate, "category", derived=("articleCount",))
        hex_id = self.take_id(own, path, ids.CATEGORY, "categories")
        name = valid.name.strip()
        slug = valid.slug or slugify(name)
        self.unique("categories", "name_key", name.lower(), (*path, "name"), "category")
        self.unique("categories", "slug", slug, (*path, "slug"), "category")
        values = {
            "name": name,
            "name_key": name.lower(),
            "slug": slug,
            "description": valid.description,
            "position": valid.position,
        }
        self.insert("categories", self.new_row(hex_id, values, *self.times(own, path)), path)
        self.count("categories")

    def article(self, index: int, item: Any) -> None:
        path: Path = ("articles", index)
        own_fields = ("id", "createdAt", "updatedAt", "publishedAt", "viewCount", "useCount")
        derived = ("readTime", "helpfulCount", "notHelpfulCount")
        valid, own = self.body(
            item, path, ArticleCreate, "article", own=own_fields, derived=derived
        )
        hex_id = self.take_id(own, path, ids.ARTICLE, "articles")
        category_id, category = None, valid.category
        if valid.categoryId is not None:
            found = self.category_of(valid.categoryId, (*path, "categoryId"))
            category_id, category = found["id"], found["name"]
        if valid.slug is not None:
            slug = valid.slug
            self.unique("articles", "slug", slug, (*path, "slug"), "article")
        else:
            slug = base = slugify(valid.title)
            n = 1
            while self.taken("articles", "slug", slug):
                n += 1
                slug = f"{base}-{n}"
        created, updated = self.times(own, path)
        published = self.time(own, "publishedAt", path)
        values = {
            "title": valid.title,
            "slug": slug,
            "excerpt": valid.excerpt,
            "content": valid.content,
            "category_id": category_id,
            "category": category,
            "status": valid.status,
            "tags": dumps(valid.tags),
            "notes": valid.notes,
            "view_count": a_count(own.get("viewCount", 0), (*path, "viewCount")),
            "helpful_count": 0,
            "not_helpful_count": 0,
            "use_count": a_count(own.get("useCount", 0), (*path, "useCount")),
            "is_public": int(valid.isPublic),
            "published_at": published or (created if valid.status == "published" else None),
            "meta_description": valid.metaDescription,
            "metadata": dumps(valid.metadata),
        }
        self.insert("articles", self.new_row(hex_id, values, created, updated), path)
        self.count("articles")

    def category_of(self, reference: str, where: Path) -> Row:
        """The category an article names by id (``cat_…``, a UUID) or slug."""
        if reference.startswith(ids.CATEGORY) or _is_uuid(reference):
            hex_id = self.parse(reference, ids.CATEGORY, where)
            row = self.db.one(
                f"SELECT id, name FROM categories WHERE {TEST_SCOPE} AND id = ?",
                (self.team_id, hex_id),
            )
        else:
            row = self.db.one(
                f"SELECT id, name FROM categories WHERE {TEST_SCOPE} AND slug = ?",
                (self.team_id, reference),
            )
        if row is None:
            raise DataFileError(where, f"no category with id or slug '{reference}' in the file.")
        return row

    def sla_rule(self, index: int, item: Any) -> None:
        path: Path = ("slaRules", index)
        valid, own = self.body(item, path, SlaRuleCreate, "SLA rule")
        if valid.responseTarget > valid.resolutionTarget:
            raise DataFileError(
                (*path, "responseTarget"), "cannot be longer than resolutionTarget."
            )
        hex_id = self.take_id(own, path, RULE_PREFIX, "sla_rules")
        values = rule_columns(valid)
        self.insert("sla_rules", self.new_row(hex_id, values, *self.times(own, path)), path)
        self.count("slaRules")

    def webhook(self, index: int, item: Any) -> None:
        """A webhook, with a new signing secret (a data file never carries one)."""
        path: Path = ("webhooks", index)
        body, own = self.fields(item, path, "webhook")
        for secret in ("secret", "signingSecret"):
            if secret in body:
                raise DataFileError(
                    (*path, secret),
                    "a data file never carries signing secrets: leave it out; the webhook "
                    "gets a new secret (see it with `cstar webhooks rotate-secret`).",
                )
        valid = validated(WebhookCreate, body, path, "webhook")
        hex_id = self.take_id(own, path, ids.WEBHOOK, "webhooks")
        url = self.checked(lambda: _check_url(valid.url), (*path, "url"))
        events = self.checked(lambda: check_events(valid.events), (*path, "events"))
        values = {
            "name": valid.name,
            "description": valid.description,
            "url": url,
            "events": dumps(events),
            "secret": self.vault.encrypt(new_secret()),
            "is_active": int(valid.isActive),
            "legacy_signature": int(valid.legacySignature),
        }
        self.insert("webhooks", self.new_row(hex_id, values, *self.times(own, path)), path)
        self.count("webhooks")

    def checked(self, check: Callable[[], Any], where: Path) -> Any:
        """What an API check returns; its 400 as this file's error."""
        try:
            return check()
        except ApiError as err:
            raise DataFileError(where, err.message) from None


def _check_url(url: str) -> str:
    return check_url(url, False)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) in (32, 36)


def _at(path: Path) -> str:
    return json_path(path)
