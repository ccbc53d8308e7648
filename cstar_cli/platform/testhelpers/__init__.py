"""``/test-helpers``: what a test run may do to a test environment: move its clock (D21,
:mod:`.clock`) and reset it (D33, :mod:`.reset`). Test mode only (:mod:`.guard`)."""
