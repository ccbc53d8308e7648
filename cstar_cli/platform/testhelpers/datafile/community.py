"""The community (D43) and CSAT (D44) in a data file (D34), both ways.

``"community": {"topics": [...], "posts": [... each with "comments" and "votes"]}`` in the
community's own snake_case wire form, and ``"csat": {"settings": {...}, "surveys": [...]}`` in
camelCase, each written only when the environment holds some of it. An author or voter is named
by ``author_type`` / ``voter_type`` and a reference: a customer by id or email, a member by email
(ids differ between platforms; an export writes the email). Counts (``vote_count``,
``comment_count``, ``post_count``), ``is_official`` and a survey's ``customerId`` are recomputed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cstar_cli.platform import ids
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.community.models import CommentCreate, PostCreate, TopicCreate
from cstar_cli.platform.resources.community.shapes import author_id
from cstar_cli.platform.resources.csat.models import CsatSettingsUpdate, SurveyCreate
from cstar_cli.platform.store.db import Database, Row, dumps
from cstar_cli.platform.testhelpers.datafile.problems import (
    DataFileError,
    Path,
    a_list,
    a_section,
    an_object,
    unknown,
    validated,
)
from cstar_cli.platform.testhelpers.datafile.tickets import customer_of, member_of
from cstar_cli.platform.testhelpers.guard import TEST_SCOPE
from cstar_cli.wire.ids import COMMENT, POST, SURVEY, TOPIC

if TYPE_CHECKING:
    from cstar_cli.platform.testhelpers.datafile.load import Loader

STAMPS = ("id", "created_at", "updated_at")
KINDS = ("customer", "member")


# -- export ----------------------------------------------------------------------------------
def export_community(db: Database, team_id: str, emails: dict[str, str]) -> dict[str, Any] | None:
    """The environment's community, or ``None`` when it has none."""

    def rows(table: str) -> list[Row]:
        return db.all(f"SELECT * FROM {table} WHERE {TEST_SCOPE} ORDER BY rowid", (team_id,))

    topics, posts = rows("community_topics"), rows("community_posts")
    if not topics and not posts:
        return None
    comments: dict[str, list[dict[str, Any]]] = {}
    for row in rows("community_comments"):
        comments.setdefault(row["post_id"], []).append(
            {
                "id": COMMENT + row["id"],
                "body": row["body"],
                **_who("author", row, emails),
                **{name: row[name] for name in ("created_at", "updated_at")},
            }
        )
    votes: dict[str, list[dict[str, Any]]] = {}
    for row in rows("community_votes"):
        votes.setdefault(row["post_id"], []).append(
            {**_who("voter", row, emails), "created_at": row["created_at"]}
        )
    return {
        "topics": [
            {
                "id": TOPIC + row["id"],
                **{name: row[name] for name in ("name", "slug", "description", "position")},
                **{name: row[name] for name in ("created_at", "updated_at")},
            }
            for row in topics
        ],
        "posts": [
            {
                "id": POST + row["id"],
                **{name: row[name] for name in ("title", "slug", "body")},
                "topic_id": ids.wire(TOPIC, row["topic_id"]),
                **{name: row[name] for name in ("status", "visibility")},
                "is_pinned": bool(row["is_pinned"]),
                "is_locked": bool(row["is_locked"]),
                "custom_fields": json.loads(row["custom_fields"]),
                **_who("author", row, emails),
                **{name: row[name] for name in ("created_at", "updated_at")},
                "comments": comments.get(row["id"], []),
                "votes": votes.get(row["id"], []),
            }
            for row in posts
        ],
    }


def _who(role: str, row: Row, emails: dict[str, str]) -> dict[str, Any]:
    """``{author_type, author_id, author_name}``: a member by email, a customer by id."""
    kind, hex_id = row[f"{role}_type"], row[f"{role}_id"]
    reference = emails.get(hex_id, hex_id) if kind == "member" else author_id(kind, hex_id)
    return {
        f"{role}_type": kind,
        f"{role}_id": reference,
        f"{role}_name": row[f"{role}_name"],
    }


def export_csat(db: Database, team_id: str) -> dict[str, Any] | None:
    """The environment's CSAT settings (when changed) and surveys, or ``None`` for neither."""
    settings = db.one(f"SELECT * FROM csat_settings WHERE {TEST_SCOPE}", (team_id,))
    surveys = db.all(f"SELECT * FROM csat_surveys WHERE {TEST_SCOPE} ORDER BY rowid", (team_id,))
    if settings is None and not surveys:
        return None
    document: dict[str, Any] = {}
    if settings is not None:
        document["settings"] = {
            "enabled": bool(settings["enabled"]),
            "question": settings["question"],
            "sendAfter": settings["send_after"],
        }
    document["surveys"] = [
        {
            "id": SURVEY + row["id"],
            "ticketId": ids.TICKET + row["ticket_id"],
            "rating": row["rating"],
            "comment": row["comment"],
            "createdAt": row["created_at"],
        }
        for row in surveys
    ]
    return document


# -- load ------------------------------------------------------------------------------------
def load_community(loader: Loader, value: Any) -> None:
    path: Path = ("community",)
    section = a_section(value, path, ("topics", "posts"), "community section", "community")
    for index, item in enumerate(a_list(section.get("topics", []), (*path, "topics"))):
        _topic(loader, (*path, "topics", index), item)
    for index, item in enumerate(a_list(section.get("posts", []), (*path, "posts"))):
        _post(loader, (*path, "posts", index), item)


def _topic(loader: Loader, path: Path, item: Any) -> None:
    valid, own = loader.body(
        item, path, TopicCreate, "community topic", own=STAMPS, derived=("post_count",)
    )
    hex_id = loader.take_id(own, path, TOPIC, "community_topics")
    slug = valid.slug or slugify(valid.name)
    loader.unique("community_topics", "slug", slug, (*path, "slug"), "community topic")
    values = {
        "name": valid.name.strip(),
        "slug": slug,
        "description": valid.description,
        "position": valid.position,
    }
    created, updated = _times(loader, own, path)
    loader.insert("community_topics", loader.new_row(hex_id, values, created, updated), path)
    loader.count("communityTopics")


def _post(loader: Loader, path: Path, item: Any) -> None:
    own_fields = (*STAMPS, "slug", "author_type", "author_id", "author_name", "comments", "votes")
    derived = ("vote_count", "comment_count", "attachments")
    valid, own = loader.body(
        item, path, PostCreate, "community post", own=own_fields, derived=derived
    )
    hex_id = loader.take_id(own, path, POST, "community_posts")
    kind, author, name = _writer(loader, own, "author", path)
    topic = None
    if valid.topic_id is not None:
        topic = _topic_of(loader, valid.topic_id, (*path, "topic_id"))
    slug = own.get("slug") or slugify(valid.title)
    created, updated = _times(loader, own, path)
    comments = a_list(own.get("comments", []), (*path, "comments"))
    votes = a_list(own.get("votes", []), (*path, "votes"))
    values = {
        "topic_id": topic,
        "title": valid.title,
        "slug": slug if isinstance(slug, str) else slugify(valid.title),
        "body": valid.body,
        "status": valid.status,
        "visibility": valid.visibility,
        "is_pinned": int(valid.is_pinned),
        "is_locked": int(valid.is_locked),
        "custom_fields": dumps(valid.custom_fields or {}),
        "author_type": kind,
        "author_id": author,
        "author_name": name,
        "vote_count": len(votes),
        "comment_count": len(comments),
    }
    loader.insert("community_posts", loader.new_row(hex_id, values, created, updated), path)
    loader.count("communityPosts")
    for index, comment in enumerate(comments):
        _comment(loader, hex_id, (*path, "comments", index), comment)
    voters: set[tuple[str, str]] = set()
    for index, vote in enumerate(votes):
        _vote(loader, hex_id, (*path, "votes", index), vote, voters)


def _comment(loader: Loader, post: str, path: Path, item: Any) -> None:
    own_fields = (*STAMPS, "author_type", "author_id", "author_name")
    derived = ("post_id", "is_official")
    valid, own = loader.body(
        item, path, CommentCreate, "community comment", own=own_fields, derived=derived
    )
    hex_id = loader.take_id(own, path, COMMENT, "community_comments")
    kind, author, name = _writer(loader, own, "author", path)
    created, updated = _times(loader, own, path)
    values = {
        "post_id": post,
        "body": valid.body,
        "author_type": kind,
        "author_id": author,
        "author_name": name,
        "is_official": int(kind == "member"),
    }
    loader.insert("community_comments", loader.new_row(hex_id, values, created, updated), path)
    loader.count("communityComments")


def _vote(loader: Loader, post: str, path: Path, item: Any, voters: set[tuple[str, str]]) -> None:
    own_fields = ("created_at", "voter_type", "voter_id", "voter_name")
    derived = ("value", "post_id", "vote_count", "object")
    body, own = loader.fields(item, path, "community vote", own=own_fields, derived=derived)
    if body:
        first = next(iter(body))
        raise DataFileError((*path, first), unknown(first, own_fields, "community vote"))
    kind, voter, name = _writer(loader, own, "voter", path)
    if (kind, voter) in voters:
        raise DataFileError((*path, "voter_id"), "this voter already voted for the post.")
    voters.add((kind, voter))
    created = loader.time(own, "created_at", path) or loader.stamp
    row = {
        "id": ids.new_hex(),
        "post_id": post,
        "team_id": loader.team_id,
        "livemode": 0,
        "voter_type": kind,
        "voter_id": voter,
        "voter_name": name,
        "value": 1,
        "created_at": created,
    }
    loader.insert("community_votes", row, path)
    loader.count("communityVotes")


def _writer(loader: Loader, own: dict[str, Any], role: str, path: Path) -> tuple[str, str, str]:
    """``(kind, hex id, name)`` of an author or voter named by ``<role>_type`` and
    ``<role>_id`` (a customer by id or email, a member by id or email)."""
    kind = own.get(f"{role}_type")
    if kind not in KINDS:
        raise DataFileError((*path, f"{role}_type"), 'must be "customer" or "member".')
    reference = own.get(f"{role}_id")
    where = (*path, f"{role}_id")
    if not isinstance(reference, str):
        raise DataFileError(where, f"missing: the {kind}'s id or email.")
    if kind == "customer":
        row = customer_of(loader, reference, where)
        hex_id, name = row["id"], row["name"]
    else:
        hex_id = member_of(loader, reference, where)
        found = loader.db.one("SELECT name FROM members WHERE id = ?", (hex_id,))
        name = found["name"] if found else None
    given = own.get(f"{role}_name")
    return kind, hex_id, given if isinstance(given, str) else name


def _topic_of(loader: Loader, reference: str, where: Path) -> str:
    if reference.startswith(TOPIC):
        column, value = "id", loader.parse(reference, TOPIC, where)
    else:
        column, value = "slug", reference
    row = loader.db.one(
        f"SELECT id FROM community_topics WHERE {TEST_SCOPE} AND {column} = ?",
        (loader.team_id, value),
    )
    if row is None:
        raise DataFileError(where, f"no community topic with id or slug '{reference}' in the file.")
    return str(row["id"])


def _times(loader: Loader, own: dict[str, Any], path: Path) -> tuple[str, str]:
    created = loader.time(own, "created_at", path) or loader.stamp
    return created, loader.time(own, "updated_at", path) or created


def load_csat(loader: Loader, value: Any) -> None:
    path: Path = ("csat",)
    section = a_section(value, path, ("settings", "surveys"), "CSAT section", "CSAT section")
    if "settings" in section:
        where = (*path, "settings")
        given = an_object(section["settings"], where, "CSAT settings")
        valid = validated(CsatSettingsUpdate, given, where, "CSAT settings")
        loader.db.execute(
            "INSERT OR REPLACE INTO csat_settings (team_id, livemode, enabled, question, "
            "send_after, updated_at) VALUES (?, 0, ?, ?, ?, ?)",
            (
                loader.team_id,
                int(True if valid.enabled is None else valid.enabled),
                valid.question or "How would you rate the support you received?",
                valid.sendAfter or "closed",
                loader.stamp,
            ),
        )
        loader.count("csatSettings")
    answered: set[str] = set()
    for index, item in enumerate(a_list(section.get("surveys", []), (*path, "surveys"))):
        _survey(loader, (*path, "surveys", index), item, answered)


def _survey(loader: Loader, path: Path, item: Any, answered: set[str]) -> None:
    own_fields = ("id", "createdAt")
    derived = ("customerId", "scale", "updatedAt")
    valid, own = loader.body(item, path, SurveyCreate, "survey", own=own_fields, derived=derived)
    hex_id = loader.take_id(own, path, SURVEY, "csat_surveys")
    where = (*path, "ticketId")
    ticket = loader.db.one(
        f"SELECT id, customer_id FROM tickets WHERE {TEST_SCOPE} AND id = ?",
        (loader.team_id, loader.parse(valid.ticketId, ids.TICKET, where)),
    )
    if ticket is None:
        raise DataFileError(where, f"no ticket with id '{valid.ticketId}' in the file.")
    if ticket["id"] in answered:
        raise DataFileError(where, "this ticket's survey is already answered in the file.")
    answered.add(ticket["id"])
    created = loader.time(own, "createdAt", path) or loader.stamp
    values = {
        "ticket_id": ticket["id"],
        "customer_id": ticket["customer_id"],
        "rating": valid.rating,
        "comment": valid.comment,
    }
    loader.insert("csat_surveys", loader.new_row(hex_id, values, created, created), path)
    loader.count("csatSurveys")
