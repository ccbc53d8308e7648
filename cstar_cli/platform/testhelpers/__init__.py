"""``/test-helpers``: what a test run may do to a test environment (the clock, D21)."""
