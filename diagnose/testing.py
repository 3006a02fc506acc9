"""`from diagnose.testing import assert_backprop_ok`: the public path of the pytest helper,
which lives with the rest of checking a person's code in diagnose.check.testing."""
from diagnose.check.testing import assert_backprop_ok

__all__ = ["assert_backprop_ok"]
