"""Events, webhooks and ``cstar trigger``: API wrappers and data-driven fixtures.

``api`` wraps the ``/webhooks`` and ``/events`` endpoints over :class:`CstarClient`; ``fixtures``
holds the step lists that make real events happen in test mode. Nothing here imports typer or
rich; the commands in ``cstar_cli.cli.commands`` render what these return.
"""
