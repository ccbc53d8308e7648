"""The local inspector (D31): web pages over the platform's own API, at the platform's root.

``install(api)`` adds the pages, their live stream, their buttons, the package's static files
and ``/docs`` to the FastAPI app; ``links.router`` (``POST …/inspector/links``) is registered with
the API routes, behind the gateway, like any other. Links and sessions live in
``platform.inspector`` (``sessions.InspectorSessions``).

Layout: ``web`` (the session token, templates), ``client`` (the in-process API client), ``views``
(what each page shows), ``pages`` / ``actions`` / ``live`` / ``docs`` (routes), ``templates/``
and ``static/`` (shipped in the wheel: no CDN, works offline).
"""

from __future__ import annotations

from typing import Any


def install(api: Any) -> None:
    """Add the inspector's routes and static files to the platform's FastAPI app."""
    from starlette.staticfiles import StaticFiles

    from cstar_cli.platform.inspector import actions, docs, pages
    from cstar_cli.platform.inspector.web import HERE, STATIC_PREFIX

    for module in (pages, actions, docs):
        api.include_router(module.router)
    api.mount(STATIC_PREFIX, StaticFiles(directory=HERE / "static"), name="inspector-static")
