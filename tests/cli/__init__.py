"""Tests of the command line (cstar_cli/cli)."""
