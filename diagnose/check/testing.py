"""`assert_backprop_ok`: the diagnosis inside a person's own pytest suite.

    from diagnose.testing import assert_backprop_ok
    import my_net

    def test_backprop():
        assert_backprop_ok(my_net)          # or "my_net.py", or my_net.TwoLayerNet

On anything but a healthy verdict it raises AssertionError whose message is the
report, so pytest shows the diagnosis where the test fails.
"""
import os

from diagnose.check.isolate import check_file, diagnose_subject
from diagnose.engine.findings import HEALTHY
from diagnose.check.loader import LoadError, load_subject


def assert_backprop_ok(obj_or_path, *, seed=0, shape=None):
    """Raise AssertionError (message: the report) unless the implementation is healthy.

    A path runs in a child process with a time limit, as `diagnose check`; a module,
    class, instance or object runs in this process (it is already imported).
    """
    if isinstance(obj_or_path, (str, os.PathLike)):
        result = check_file(obj_or_path, seed=seed, shape=shape)
        if result.exit_code != 0:
            raise AssertionError("\n" + result.text())
        return result.report
    try:
        form = load_subject(obj_or_path)
    except LoadError as exc:
        raise AssertionError(exc.message) from None
    report = diagnose_subject(form, seed=seed, shape=shape)
    if report.verdict != HEALTHY:
        raise AssertionError("\n" + report.text())
    return report
