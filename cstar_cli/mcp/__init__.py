"""``cstar mcp-server``: the Model Context Protocol server for AI tools.

Tools map one-to-one onto calls of :class:`cstar_cli.client.clients.AsyncCstarClient`:

- :mod:`cstar_cli.mcp.options` — what the server was asked to do (credentials, safety switches)
  and the client config snippet of ``--print-config``; standard library only.
- :mod:`cstar_cli.mcp.tools` — the tools: typed inputs, descriptions, structured results; no
  MCP SDK here, so they can be read and tested on their own.
- :mod:`cstar_cli.mcp.server` — registers the tools on the official SDK's ``MCPServer`` and
  serves them over stdio. The only module that imports ``mcp`` (about 0.8 s), and only when
  ``cstar mcp-server`` runs.

Nothing here imports typer, rich or ``cstar_cli.cli.commands``.
"""
