"""Data files (D34): a test environment's data as one versioned JSON document, and back.

:func:`export_document` writes it (:mod:`.export`); :func:`load_document` loads one into an
environment as it is (``cstar dev --seed``, when it is empty) and :func:`import_document`
replaces the environment's data with one (a reset, D33, then the load, in one transaction:
``POST /test-helpers/import``, ``cstar dev --import``). A bad document raises one
:class:`DataFileError` naming the JSON path, and nothing is applied. Loading fires no events.
These take the platform and the team, for callers in the platform's process (the CLI at start
and at exit, library mode); the API goes through :class:`DataFiles`, the routes' service.
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.audit.trail import audit
from cstar_cli.platform.core import Platform
from cstar_cli.platform.testhelpers.datafile.export import export_rows
from cstar_cli.platform.testhelpers.datafile.load import Loader
from cstar_cli.platform.testhelpers.datafile.problems import DataFileError
from cstar_cli.platform.testhelpers.guard import Helper
from cstar_cli.platform.testhelpers.reset import reset_test_environment
from cstar_cli.wire.camel import camel_case

__all__ = [
    "DataFileError",
    "DataFiles",
    "export_document",
    "held_data",
    "import_document",
    "load_document",
]
HELD = (
    "members",
    "customers",
    "categories",
    "articles",
    "tickets",
    "webhooks",
    "community_topics",
    "community_posts",
    "customer_groups",
)


def export_document(platform: Platform, team_id: str) -> dict[str, Any]:
    """The team's test environment as a data file document."""
    return export_rows(platform.db, team_id, platform.now(team_id, False))


def load_document(platform: Platform, team_id: str, document: Any) -> dict[str, int]:
    """Load ``document`` into the team's test environment as it stands, in one transaction;
    what was loaded, per list. Raises :class:`DataFileError` (nothing applied)."""
    loader = Loader(platform.db, platform.vault, team_id, platform.now(team_id, False))
    with platform.db.transaction():
        return loader.load(document)


def import_document(platform: Platform, team_id: str, document: Any) -> dict[str, Any]:
    """Replace the team's test data with ``document``: a reset (D33), then the load, in one
    transaction. ``{deleted: {…}, loaded: {…}}``; raises :class:`DataFileError` (nothing
    reset, nothing loaded)."""
    loader = Loader(platform.db, platform.vault, team_id, platform.now())  # the reset clock
    deleted = reset_test_environment(platform, team_id, then=lambda: loader.load(document))
    return {"deleted": deleted, "loaded": loader.loaded}


def held_data(platform: Platform, team_id: str) -> dict[str, int]:
    """What the team's test environment holds that a seed would load into (members: those
    beyond the seed's); empty when it may be seeded."""
    held: dict[str, int] = {}
    for table in HELD:
        extra = " AND seed = 0" if table == "members" else ""
        row = platform.db.one(
            f"SELECT COUNT(*) AS n FROM {table} WHERE team_id = ? AND livemode = 0{extra}",
            (team_id,),
        )
        if row and row["n"]:
            held[camel_case(table)] = int(row["n"])
    return held


class DataFiles(Helper):
    """``/test-helpers/export`` and ``/test-helpers/import`` for the caller's test environment."""

    def export(self) -> dict[str, Any]:
        return export_document(self.platform, self.test_team())

    def import_data(self, document: Any) -> dict[str, Any]:
        """``{object: "import", deleted: {…}, loaded: {…}}``; a bad document is a 400 naming
        its JSON path in ``param``."""
        team_id = self.test_team()
        try:
            result = import_document(self.platform, team_id, document)
        except DataFileError as err:
            raise err.as_api_error() from None
        with self.caller.work.transaction():
            audit(self.caller, "test_environment.imported", None, {"loaded": result["loaded"]})
        return {"object": "import", **result}
