"""The command line: the only package that imports typer and rich.

``app`` is the root callback, ``context`` the one factory every command receives, ``output`` and
``render`` what people and scripts see, ``errors`` the exit codes; ``commands/<noun>`` hold the
commands, each noun's helpers beside it."""
