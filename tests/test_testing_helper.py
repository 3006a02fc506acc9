"""`assert_backprop_ok`: the diagnosis as an assertion in a person's own pytest suite."""
import inspect
import subprocess
import sys

import numpy as np
import pytest

import bugs
import core
import core.net
from diagnose import diagnose
from diagnose.testing import assert_backprop_ok


class PenaltyOnlyInLoss:
    """A TwoLayerNet class whose loss is penalised but whose gradients are not."""

    def __init__(self, input_size, hidden_size, output_size):
        self.params = {}

    def loss(self, X, y=None, reg=0.0):
        loss, cache = core.forward_loss(X, y, self.params)
        return loss + reg * np.sum(self.params["W1"] ** 2), core.backward(cache, self.params)


def test_healthy_module_passes_and_returns_its_report():
    assert assert_backprop_ok(core).verdict == "healthy"


def test_faulty_module_raises_with_the_report_as_message():
    mutant = bugs.make_mutant(bugs.get("bad_relu_mask"))
    with pytest.raises(AssertionError) as info:
        assert_backprop_ok(mutant)
    assert str(info.value) == "\n" + diagnose(mutant).text()


def test_class_is_checked_with_its_regularisation():
    with pytest.raises(AssertionError, match="verdict: reg_mismatch"):
        assert_backprop_ok(PenaltyOnlyInLoss)


def test_path_runs_in_a_child_process_healthy_and_faulty(tmp_path):
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(inspect.getsource(core.net))
    bad.write_text(bugs.apply(bugs.get("sign_flipped")))
    assert assert_backprop_ok(str(good)).verdict == "healthy"
    with pytest.raises(AssertionError, match="bad.py: form \\(a\\), forward_loss and backward\nverdict: sign_flipped"):
        assert_backprop_ok(bad)


def test_unusable_path_and_object_raise_assertion_errors_that_say_why(tmp_path):
    typo = tmp_path / "typo.py"
    typo.write_text("def forward_loss(X, y, params:\n")
    with pytest.raises(AssertionError, match="typo.py line 1: "):
        assert_backprop_ok(typo)
    with pytest.raises(AssertionError, match="fits none of the three forms"):
        assert_backprop_ok(np.linalg)


def test_pytest_shows_the_diagnosis_where_the_test_fails(tmp_path):
    (tmp_path / "my_net.py").write_text(bugs.apply(bugs.get("missing_div_n")))
    (tmp_path / "test_my_net.py").write_text(
        "from diagnose.testing import assert_backprop_ok\n\n\n"
        "def test_backprop():\n    assert_backprop_ok('my_net.py')\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_my_net.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    head = "verdict: missing_div_n — a wrong scale factor such as a missing /N (checklist 1)"
    assert "AssertionError" in run.stdout and head in run.stdout
