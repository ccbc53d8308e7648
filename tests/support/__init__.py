"""What tests share, in one place: receivers, clocks, the CLI runner, platforms of a test's own,
the relay harness, a pseudo-terminal, SSE and stream readers, and waiting on a condition."""
