"""The wire vocabulary: what crosses between the CLI, the client, the MCP server and the platform.

One place for each piece of it — versions, user agents and answer caps (:mod:`.protocol`),
enumerations (:mod:`.enums`), times and durations (:mod:`.times`), id prefixes (:mod:`.ids`),
websocket close codes (:mod:`.codes`) and the event catalogue (:mod:`.catalog`, :mod:`.samples`).
Standard library only and cheap to import; nothing here imports the CLI, the client or the
platform.
"""
