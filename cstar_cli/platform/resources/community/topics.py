"""Community topics (D43): ``top_`` ids, a name and a slug unique per team and environment.
Anyone of the team reads them; only a secret key writes. No events: the catalogue has none."""

from __future__ import annotations

import contextlib
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.community import shapes
from cstar_cli.platform.resources.community.models import TopicCreate, TopicUpdate
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import CREATION_ORDER, Paging
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.ids import TOPIC

FIELDS: FieldMap = {
    "name": Column(convert=str.strip),
    "slug": Column(),
    "description": Column(nullable=True),
    "position": Column(),
}


class Topics(Service):
    """The community topics of the caller's team and environment."""

    table = "community_topics"
    prefix = TOPIC
    param = "topicId"
    noun = "community topic"
    sort_fields = {
        "created_at": CREATION_ORDER,
        "updated_at": "updated_at",
        "position": "position",
        "name": "name",
    }

    def post_counts(self) -> dict[str, int]:
        """Posts per topic, as the caller sees them (public ones only without an identity)."""
        public = (
            "" if self.principal.is_secret or self.caller.identity else "AND visibility = 'public'"
        )
        rows = self.db.all(
            "SELECT topic_id, COUNT(*) AS n FROM community_posts WHERE team_id = ? AND "
            f"livemode = ? AND topic_id IS NOT NULL {public} GROUP BY topic_id",
            (self.principal.team_id, int(self.principal.livemode)),
        )
        return {row["topic_id"]: int(row["n"]) for row in rows}

    def shown(self, row: Row) -> dict[str, Any]:
        return shapes.topic(row, self.post_counts().get(row["id"], 0))

    def list(self, paging: Paging) -> Page:
        counts = self.post_counts()
        return self.page(
            self.where(),
            paging,
            lambda row: shapes.topic(row, counts.get(row["id"], 0)),
            default_sort="position",
        )

    def get(self, topic_id: str) -> dict[str, Any]:
        return self.shown(self.load(topic_id))

    def find(self, reference: str, param: str) -> Row:
        """The topic a post or a filter names: its ``top_`` id (or UUID) or its slug (400)."""
        hex_id = None
        with contextlib.suppress(ApiError):  # not an id: a slug
            hex_id = ids.parse(reference, TOPIC, param)
        row = self.db.one(
            "SELECT * FROM community_topics WHERE team_id = ? AND livemode = ? "
            "AND (id = ? OR slug = ?) ORDER BY id = ? DESC LIMIT 1",
            (self.principal.team_id, int(self.principal.livemode), hex_id, reference, hex_id),
        )
        if row is None:
            raise ApiError.invalid(
                f"No community topic with id or slug '{reference}'.", param=param
            )
        return row

    def create(self, body: TopicCreate) -> dict[str, Any]:
        name = body.name.strip()
        row = self.new_row(
            {
                "name": name,
                "slug": body.slug or slugify(name),
                "description": body.description,
                "position": body.position,
            }
        )
        self._check_unique(row)
        with self.transaction() as db:
            db.insert(self.table, row)
            self.audit(f"{self.kind}.created", TOPIC + row["id"], {"name": name})
        return shapes.topic(row, 0)

    def update(self, topic_id: str, body: TopicUpdate) -> dict[str, Any]:
        row = self.load(topic_id)
        values = self.patch_values(body, row, FIELDS)
        self._check_unique({**row, **values})
        return self.shown(self.save(row, values).row)

    def delete(self, topic_id: str) -> dict[str, Any]:
        """Delete a topic; its posts stay, without a topic."""
        return self.remove(self.load(topic_id))

    def _check_unique(self, row: Row) -> None:
        if self.taken(row, "slug"):
            raise ApiError.conflict(
                "A community topic with this slug already exists.", param="slug"
            )
