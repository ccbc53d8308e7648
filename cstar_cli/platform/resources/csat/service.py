"""CSAT (D44): the team's survey settings, the surveys customers answer and their stats.

Settings: ``enabled``, ``question``, ``sendAfter`` ("closed"); a team that never changed them
has the defaults, and a reset (D33) puts them back (the row goes). Surveys: ``srv_`` ids, one
answer per ticket (409 on a second), from a secret key or from the ticket's own customer through
a verified identity (D18; another customer's ticket is as missing as one that never existed);
``survey.submitted`` carries the survey and the customer. Stats: responses, the mean rating,
the CSAT score (the share of 4 and 5 ratings, 0–100) and the distribution of ratings.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources import payloads
from cstar_cli.platform.resources.csat.models import CsatSettingsUpdate, SurveyCreate
from cstar_cli.platform.resources.filters import Filter, equals, id_of
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.resources.windows import moment, ordered
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import CREATION_ORDER, Paging, Where
from cstar_cli.wire.ids import SURVEY
from cstar_cli.wire.times import iso

DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "question": "How would you rate the support you received?",
    "sendAfter": "closed",
}
SCALE = 5


def answer(row: Row) -> dict[str, Any]:
    """What a survey answered, the same on the wire and in its event."""
    return {"rating": row["rating"], "scale": SCALE, "comment": row["comment"]}


def serialize(row: Row) -> dict[str, Any]:
    return {
        "id": SURVEY + row["id"],
        "object": "survey",
        "ticketId": ids.TICKET + row["ticket_id"],
        "customerId": ids.wire(ids.CUSTOMER, row["customer_id"]),
        **answer(row),
        "createdAt": row["created_at"],
    }


def survey_data(row: Row) -> dict[str, Any]:
    """``data.survey`` of ``survey.submitted`` (snake_case, D11)."""
    return {
        "id": SURVEY + row["id"],
        "ticket_id": ids.TICKET + row["ticket_id"],
        "customer_id": ids.wire(ids.CUSTOMER, row["customer_id"]),
        **answer(row),
        "submitted_at": row["created_at"],
    }


def since(_csat: Csat, where: Where, value: str) -> None:
    start = moment(value, "since")
    if start is not None:
        where.add("julianday(created_at) >= julianday(?)", iso(start))


class Csat(Service):
    """CSAT settings, surveys and stats of the caller's team and environment."""

    table = "csat_surveys"
    prefix = SURVEY
    param = "surveyId"
    noun = "survey"
    sort_fields = {"createdAt": CREATION_ORDER, "rating": "rating"}
    filters = (id_of("ticket_id", ids.TICKET, "ticketId"), equals("rating"), Filter("since", since))

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        row = self.db.one(
            "SELECT * FROM csat_settings WHERE team_id = ? AND livemode = ?",
            (self.principal.team_id, int(self.principal.livemode)),
        )
        if row is None:
            return {"object": "csat_settings", **DEFAULTS, "updatedAt": None}
        return {
            "object": "csat_settings",
            "enabled": bool(row["enabled"]),
            "question": row["question"],
            "sendAfter": row["send_after"],
            "updatedAt": row["updated_at"],
        }

    def update_settings(self, body: CsatSettingsUpdate) -> dict[str, Any]:
        current = self.settings()
        given = {name: getattr(body, name) for name in body.model_fields_set}
        for name, value in given.items():
            if value is None:
                raise ApiError.invalid(f"{name} cannot be null.", param=name)
        merged = {**current, **given}
        if all(current[name] == merged[name] for name in DEFAULTS) and current["updatedAt"]:
            return current  # nothing changes
        with self.transaction() as db:
            db.execute(
                "INSERT INTO csat_settings (team_id, livemode, enabled, question, send_after, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(team_id, livemode) DO UPDATE "
                "SET enabled = excluded.enabled, question = excluded.question, "
                "send_after = excluded.send_after, updated_at = excluded.updated_at",
                (
                    self.principal.team_id,
                    int(self.principal.livemode),
                    int(merged["enabled"]),
                    merged["question"],
                    merged["sendAfter"],
                    self.stamp(),
                ),
            )
            self.audit("csat_settings.updated", None, given)
        return self.settings()

    # -- surveys -------------------------------------------------------------------------------
    def list(self, paging: Paging, **given: Any) -> Page:
        return self.page(self.filtered(given), paging, serialize)

    def submit(self, body: SurveyCreate) -> dict[str, Any]:
        ticket = self.referenced("tickets", ids.TICKET, "ticketId", body.ticketId, noun="ticket")
        portal = self.caller.identity
        if portal is not None and ticket["customer_id"] != portal.customer_id:
            raise ApiError.invalid(f"No ticket with id '{body.ticketId}'.", param="ticketId")
        answered = self.db.one("SELECT id FROM csat_surveys WHERE ticket_id = ?", (ticket["id"],))
        if answered is not None:
            raise ApiError.conflict(
                f"This ticket's survey was already answered ({SURVEY}{answered['id']}); a ticket "
                "takes one answer.",
                param="ticketId",
            )
        row = self.new_row(
            {
                "ticket_id": ticket["id"],
                "customer_id": ticket["customer_id"],
                "rating": body.rating,
                "comment": body.comment,
            }
        )
        with self.transaction() as db:
            db.insert(self.table, row)
            customer = None
            if ticket["customer_id"] is not None:
                found = self.row("customers", ticket["customer_id"])
                customer = payloads.customer_data(found) if found else None
            self.emit("survey.submitted", {"survey": survey_data(row), "customer": customer})
        return serialize(row)

    # -- stats ---------------------------------------------------------------------------------
    def stats(self, since: str | None, until: str | None) -> dict[str, Any]:
        start, end = moment(since, "since"), moment(until, "until")
        ordered(start, end)
        where = self.where()
        if start is not None:
            where.add("julianday(created_at) >= julianday(?)", iso(start))
        if end is not None:
            where.add("julianday(created_at) < julianday(?)", iso(end))
        rows = self.db.all(
            f"SELECT rating, COUNT(*) AS n FROM csat_surveys WHERE {where.sql} GROUP BY rating",
            where.params,
        )
        counts = {str(n): 0 for n in range(1, SCALE + 1)}
        for row in rows:
            counts[str(row["rating"])] = int(row["n"])
        total = sum(counts.values())
        happy = counts["4"] + counts["5"]
        mean = sum(int(r) * n for r, n in counts.items()) / total if total else None
        return {
            "object": "csat_stats",
            "since": None if start is None else iso(start),
            "until": None if end is None else iso(end),
            "responses": total,
            "averageRating": None if mean is None else round(mean, 2),
            "csatScore": round(100 * happy / total, 1) if total else None,
            "distribution": counts,
        }
