"""``cstar listen``'s engine: the websocket session, forwarding, resume and acknowledgements.

Nothing here imports typer or rich; progress is reported through a :class:`Reporter`.
"""
