"""The loader, in this process: importing a file by path, detecting its form, the adapters,
and the regularisation check of a TwoLayerNet class."""
import inspect
from pathlib import Path

import numpy as np
import pytest

import bugs
import core
from diagnose import diagnose, load_subject
from diagnose.check.isolate import diagnose_subject
from diagnose.check.loader import ClassForm, FusedForm, LoadError, SplitForm
from diagnose.engine.probe import make_probe
from diagnose.check.regcheck import FAULT, REG


def write(tmp_path, name, text):
    """tmp_path / name holding `text`; its path as a string."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load_error(obj):
    """The LoadError that load_subject(obj) raises."""
    with pytest.raises(LoadError) as info:
        load_subject(obj)
    return info.value


class Net:
    """A correct CS231n-style class whose constructor names its sizes differently."""

    def __init__(self, inputSize, hiddenSize, outputSize, std=1e-4):
        self.sizes = (inputSize, hiddenSize, outputSize)
        self.params = {}

    def loss(self, X, y=None, reg=0.0):
        loss, cache = core.forward_loss(X, y, self.params)
        grads = core.backward(cache, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        loss += 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        grads["W1"] = grads["W1"] + reg * W1
        grads["W2"] = grads["W2"] + reg * W2
        return loss, grads


class PenaltyWithoutGradient(Net):
    """The loss penalises W1 and W2, the gradients only W1."""

    def loss(self, X, y=None, reg=0.0):
        loss, grads = super().loss(X, y, reg)
        grads["W2"] = grads["W2"] - reg * self.params["W2"]
        return loss, grads


class NeedsStd(Net):
    """A constructor with four required arguments: std has no default."""

    def __init__(self, input_size, hidden_size, output_size, std):
        super().__init__(input_size, hidden_size, output_size)
        self.std = std


class NoReg:
    """loss(X, y) without a reg argument."""

    def __init__(self, D, H, C):
        self.params = {}

    def loss(self, X, y=None):
        loss, cache = core.forward_loss(X, y, self.params)
        return loss, core.backward(cache, self.params)


class UpdatesInLoss(Net):
    """An SGD step inside loss, in place, after computing the (correct) gradients."""

    def loss(self, X, y=None, reg=0.0):
        loss, grads = super().loss(X, y, reg)
        for name in self.params:
            self.params[name] -= 0.1 * grads[name]
        return loss, grads


# -- importing a file -------------------------------------------------------------------------------

def test_missing_path_is_a_load_error_with_exit_2(tmp_path):
    err = load_error(str(tmp_path / "nope.py"))
    assert err.exit_code == 2 and "no such file" in err.message


def test_directory_is_a_load_error_with_exit_2(tmp_path):
    err = load_error(str(tmp_path))
    assert err.exit_code == 2 and "is a directory" in err.message


def test_syntax_error_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "my_net.py", "import numpy as np\n\ndef forward_loss(X, y, params:\n    return 1\n")
    err = load_error(path)
    assert err.exit_code == 2
    assert err.message.startswith("my_net.py line 3: ")
    assert "\n" not in err.message


def test_python2_print_gets_the_convert_hint(tmp_path):
    path = write(tmp_path, "old.py", 'def forward_loss(X, y, params):\n    print "loss"\n')
    err = load_error(path)
    assert err.message.startswith("old.py line 2: Missing parentheses")
    assert "convert the file to Python 3" in err.message


def test_missing_module_names_it_and_the_package_to_install(tmp_path):
    path = write(tmp_path, "cs231n_net.py", "from past.builtins import xrange\n")
    err = load_error(path)
    assert err.message == ("cs231n_net.py imports past.builtins, which is not installed: "
                           "pip install future, or convert the file to Python 3")
    assert err.exit_code == 2


def test_python2_only_module_says_convert(tmp_path):
    err = load_error(write(tmp_path, "old.py", "import cPickle\n"))
    assert err.message == "old.py imports cPickle, a Python 2 module: convert the file to Python 3"


def test_python2_name_at_import_gets_the_convert_hint(tmp_path):
    err = load_error(write(tmp_path, "old.py", "for i in xrange(3):\n    pass\n"))
    assert err.message.startswith("old.py raised NameError: name 'xrange' is not defined while being imported "
                                  "(Python 2 code? convert the file to Python 3)")


def test_file_that_is_not_python_source_is_one_line_with_exit_2(tmp_path):
    for name, data in (("nul.py", b"x = 1\0\n"), ("latin.py", b"s = '\xe9'\n"), ("net.txt", b"x = 1\n")):
        (tmp_path / name).write_bytes(data)
        err = load_error(str(tmp_path / name))
        assert err.exit_code == 2 and err.message.startswith(name) and "\n" not in err.message


def test_sys_exit_at_import_is_reported_with_exit_1(tmp_path):
    err = load_error(write(tmp_path, "script.py", "import sys\nsys.exit(4)\n"))
    assert err.exit_code == 1
    assert "called sys.exit(4) while being imported" in err.message


def test_exception_at_import_shows_the_files_own_line(tmp_path):
    path = write(tmp_path, "broken.py", "import numpy as np\nW = np.zeros(3)\nW.reshape(2, 2)\n")
    err = load_error(path)
    assert err.exit_code == 1
    assert err.message.startswith("broken.py raised ValueError: ")
    assert 'broken.py", line 3' in err.message and "W.reshape(2, 2)" in err.message


def test_the_main_guard_is_not_run_on_import(tmp_path):
    path = write(tmp_path, "guarded.py", "from core.net import forward_loss, backward\n"
                                         "if __name__ == '__main__':\n    raise SystemExit('ran as a script')\n")
    assert isinstance(load_subject(path), SplitForm)


def test_a_file_named_like_a_library_does_not_replace_it(tmp_path):
    form = load_subject(write(tmp_path, "numpy.py", bugs.apply(bugs.get("missing_div_n"))))
    assert diagnose(form).verdict == "missing_div_n"
    assert np.__name__ == "numpy" and hasattr(np, "linalg")


# -- detecting the form ---------------------------------------------------------------------------

def test_module_with_forward_loss_and_backward_is_form_a():
    assert load_subject(core).form == "a"


def test_form_a_is_preferred_when_a_module_has_every_form(tmp_path):
    text = inspect.getsource(core.net) + "\n\ndef loss_and_grads(X, y, params):\n    raise RuntimeError\n"
    assert load_subject(write(tmp_path, "both.py", text)).form == "a"


def test_module_with_a_two_layer_net_class_is_form_b(tmp_path):
    text = "class TwoLayerNet:\n    def __init__(self, a, b, c):\n        self.params = {}\n" \
           "    def loss(self, X, y=None, reg=0.0):\n        return 0.0, {}\n"
    assert load_subject(write(tmp_path, "cls.py", text)).form == "b"


def test_module_with_loss_and_grads_is_form_c(tmp_path):
    text = "def loss_and_grads(X, y, params):\n    return 0.0, {}\n"
    assert isinstance(load_subject(write(tmp_path, "fused.py", text)), FusedForm)


def test_class_and_instance_are_form_b():
    assert isinstance(load_subject(Net), ClassForm)
    assert isinstance(load_subject(Net(9, 12, 4)), ClassForm)


def test_none_of_the_forms_lists_all_three(tmp_path):
    err = load_error(write(tmp_path, "train.py", "def train(X, y):\n    return 0\n"))
    assert err.exit_code == 2
    assert err.message.startswith("train.py fits none of the three forms. Expected one of: (a) ")
    for piece in ("forward_loss(X, y, params)", "TwoLayerNet(input_size", "loss_and_grads(X, y, params)"):
        assert piece in err.message


def test_half_of_form_a_says_which_half_is_missing(tmp_path):
    err = load_error(write(tmp_path, "half.py", "def forward_loss(X, y, params):\n    return 0.0, None\n"))
    assert "(it defines forward_loss but not backward)" in err.message


# -- adapters -------------------------------------------------------------------------------------

def test_a_return_that_is_not_a_pair_is_the_subjects_failure_not_a_crash(tmp_path):
    text = "from core.net import backward\n\ndef forward_loss(X, y, params):\n    return 1.0\n"
    report = diagnose(load_subject(write(tmp_path, "single.py", text)))
    assert report.verdict == "error"
    assert report.failure.message == "TypeError: forward_loss returned a float; expected (loss, cache)"


def test_class_built_by_position_whatever_its_argument_names():
    form = load_subject(Net)
    net = form.net_for(make_probe(0).params)
    assert net.sizes == (9, 12, 4)


def test_constructor_that_requires_std_gets_one():
    form = load_subject(NeedsStd)
    assert form.net_for(make_probe(0).params).std > 0
    assert diagnose_subject(form).verdict == "healthy"


def test_params_handed_to_the_class_are_copies_the_engine_checks_afresh():
    report = diagnose_subject(load_subject(UpdatesInLoss))
    assert report.verdict == "update_before_check"
    assert max(report.errors.values()) < 1e-6  # every call started again from the probe's own params


# -- regularisation (form b) ----------------------------------------------------------------------

def test_correct_class_passes_the_regularisation_check():
    report = diagnose_subject(load_subject(Net))
    assert report.verdict == "healthy"
    assert any(f.passed and f"at reg = {REG:g}" in f.observed and "W1, W2" in f.observed for f in report.findings)


def test_penalty_without_gradient_is_reg_mismatch_naming_the_tensor():
    report = diagnose_subject(load_subject(PenaltyWithoutGradient))
    assert report.verdict == FAULT and report.faults == (FAULT,)
    (finding,) = [f for f in report.findings if f.fault == FAULT]
    assert "the loss penalises W2 but dW2 has no penalty term" in finding.observed
    assert "W1" not in finding.observed


def test_loss_without_reg_argument_is_said_not_checked():
    report = diagnose_subject(load_subject(NoReg(9, 12, 4)))
    assert report.verdict == "healthy"
    assert "regularisation: NoReg.loss takes no reg argument" in report.skipped


def test_reg_check_counts_its_forward_calls():
    plain = diagnose(load_subject(Net))
    assert diagnose_subject(load_subject(Net)).forward_calls > plain.forward_calls


class Float32Net(Net):
    """A float32 class with a consistent penalty on W1 only: float32 is its fault, not reg_mismatch."""

    def loss(self, X, y=None, reg=0.0):
        p32 = {k: v.astype(np.float32) for k, v in self.params.items()}
        loss, cache = core.forward_loss(X.astype(np.float32), y, p32)
        grads = core.backward(cache, p32)
        loss = loss + np.float32(reg) * np.sum(p32["W1"] ** 2)
        grads["W1"] = grads["W1"] + np.float32(2 * reg) * p32["W1"]
        return loss, grads


class RaisesWithReg(Net):
    """Fine at reg = 0, raises at reg > 0."""

    def loss(self, X, y=None, reg=0.0):
        if reg:
            raise ValueError("reg is not supported")
        return super().loss(X, y, reg)


def test_float32_class_is_not_blamed_for_its_penalty():
    report = diagnose_subject(load_subject(Float32Net))
    assert report.faults == ("float32",)
    assert any(f.passed and "agree on W1" in f.observed for f in report.findings)


def test_exception_at_positive_reg_is_the_subjects_failure():
    report = diagnose_subject(load_subject(RaisesWithReg))
    assert (report.verdict, report.stage) == ("error", "regularisation")
    assert report.failure.message == f"ValueError: reg is not supported (at reg = {REG:g})"
    assert "in loss" in report.failure.trace[0]


def test_a_file_whose_only_class_has_a_loss_is_form_b_whatever_its_name(tmp_path):
    source = (tmp_path / "net.py")
    cs231n = "\n".join(Path(__file__).parent.joinpath("corpus", "c01_cs231n_class.py").read_text().splitlines()[1:])
    source.write_text(cs231n.replace("class TwoLayerNet(object):", "class NeuralNet(object):"))
    form = load_subject(source)
    assert (form.form, form.name) == ("b", "NeuralNet")
    assert diagnose_subject(form).verdict == "healthy"


def test_two_classes_with_a_loss_and_no_twolayernet_fit_no_form(tmp_path):
    source = tmp_path / "two.py"
    source.write_text("class A:\n    def loss(self, X, y=None, reg=0.0):\n        pass\n\n\n"
                      "class B:\n    def loss(self, X, y=None, reg=0.0):\n        pass\n")
    with pytest.raises(LoadError, match="fits none of the three forms"):
        load_subject(source)


def test_an_imported_class_with_a_loss_is_not_taken_for_the_files_own(tmp_path):
    (tmp_path / "other.py").write_text("class Imported:\n    def loss(self, X, y=None, reg=0.0):\n        pass\n")
    source = tmp_path / "uses.py"
    source.write_text("import sys\nsys.path.insert(0, %r)\nfrom other import Imported\n" % str(tmp_path))
    with pytest.raises(LoadError, match="fits none of the three forms"):
        load_subject(source)


def test_a_class_whose_constructor_needs_more_than_four_arguments_is_a_one_line_load_error(tmp_path):
    source = tmp_path / "five.py"
    cs231n = "\n".join(Path(__file__).parent.joinpath("corpus", "c01_cs231n_class.py").read_text().splitlines()[1:])
    source.write_text(cs231n.replace("std=1e-4):", "std, seed):"))
    with pytest.raises(LoadError, match=r"TwoLayerNet's constructor requires 5 arguments; the check builds it as "
                                        r"TwoLayerNet\(input_size, hidden_size, output_size\[, std\]\)") as info:
        load_subject(source)
    assert info.value.exit_code == 2


def test_a_failing_fused_call_is_named_as_the_persons_own_call(tmp_path):
    source = tmp_path / "raises.py"
    cs231n = "\n".join(Path(__file__).parent.joinpath("corpus", "c01_cs231n_class.py").read_text().splitlines()[1:])
    source.write_text(cs231n.replace("        h1 = np.maximum", "        raise RuntimeError('oops')\n        h1 = np.maximum"))
    report = diagnose_subject(load_subject(source))
    assert report.verdict == "error" and report.failure.call == "TwoLayerNet.loss"
    assert report.failure.message == "RuntimeError: oops"


def test_a_subject_that_fails_before_any_loss_is_not_said_to_match_no_member(tmp_path):
    source = tmp_path / "twoargs.py"
    source.write_text("def loss_and_grads(X, y):\n    return 0.0, {}\n")
    text = diagnose_subject(load_subject(source)).text()
    assert "no member's loss matches" not in text
    assert "(not recognised before the subject failed; the default net is assumed)" in text
