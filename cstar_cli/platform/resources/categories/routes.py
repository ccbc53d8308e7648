"""``/categories``: article categories (D25). Reads for any key of the team, writes secret only.

No events: the webhook catalogue has no category events.
"""

from __future__ import annotations

from fastapi import APIRouter

from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.resources.categories.models import CategoryCreate, CategoryUpdate
from cstar_cli.platform.resources.categories.service import Categories
from cstar_cli.platform.resources.table import ItemRoutes

router = APIRouter(tags=["categories"])
items = ItemRoutes(router, Categories, "/categories", "categoryId")

items.list("list_categories", "List article categories", access=PUBLIC)
items.create("create_category", CategoryCreate, "Create an article category")
items.get("get_category", "Get an article category", access=PUBLIC)
items.update("update_category", CategoryUpdate, "Update an article category")
items.delete("delete_category", "Delete an empty article category")
