"""`diagnose check FILE`: a person's own file, diagnosed in a child process.

Every catalogued fault written out as a file is named; hand-written files in forms (b)
and (c), in another style than the core, are named, faulty and correct; every way a
file can misbehave ends in a clear error with exit 1 or 2, never a traceback of ours.
"""
import inspect
import json

import pytest
from click.testing import CliRunner

import bugs
import core.net
from diagnose import diagnose
from diagnose.check.isolate import check_file
from diagnose.cli.main import main
from diagnose.engine.report import Report

CORE_SOURCE = inspect.getsource(core.net)

# Form (b), CS231n style: other names, a one-hot matrix, log-softmax, an in-place ReLU mask,
# and an L2 penalty on the weights with its gradient.
CLASS_NET = '''import numpy as np


class TwoLayerNet(object):
    def __init__(self, inputSize, hiddenSize, outputSize, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(inputSize, hiddenSize)
        self.params['b1'] = np.zeros(hiddenSize)
        self.params['W2'] = std * np.random.randn(hiddenSize, outputSize)
        self.params['b2'] = np.zeros(outputSize)

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']
        num_train = X.shape[0]
        hidden_pre = X.dot(W1) + b1
        hidden = np.maximum(hidden_pre, 0)
        scores = hidden.dot(W2) + b2
        if y is None:
            return scores
        scores = scores - scores.max(axis=1, keepdims=True)
        log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        Y = np.zeros_like(scores)
        Y[np.arange(num_train), y] = 1.0
        loss = -np.sum(Y * log_probs) / num_train
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        grads = {}
        dscores = (np.exp(log_probs) - Y) / num_train
        grads['W2'] = hidden.T.dot(dscores) + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dhidden = dscores.dot(W2.T)
        dhidden[hidden_pre <= 0] = 0
        grads['W1'] = X.T.dot(dhidden) + 2 * reg * W1
        grads['b1'] = np.sum(dhidden, axis=0)
        return loss, grads
'''

# Form (c): terse names, np.eye one-hot, the mask kept from the forward pass and applied in place.
FUSED_NET = '''import numpy as np


def loss_and_grads(X, y, params):
    n = len(y)
    W1, W2 = params["W1"], params["W2"]
    h = X @ W1 + params["b1"]
    on = h > 0
    a = h * on
    logits = a @ W2 + params["b2"]
    logits = logits - logits.max(1)[:, None]
    logp = logits - np.log(np.exp(logits).sum(1))[:, None]
    onehot = np.eye(W2.shape[1])[y]
    loss = -(onehot * logp).sum() / n
    dlogits = (np.exp(logp) - onehot) / n
    dh = dlogits @ W2.T
    dh *= on
    return loss, {"W1": X.T @ dh, "b1": dh.sum(0), "W2": a.T @ dlogits, "b2": dlogits.sum(0)}
'''

# (name, source, exact text, replacement, expected verdict)
HANDWRITTEN = [
    ("class_correct", CLASS_NET, "", "", "healthy"),
    ("class_penalty_without_gradient", CLASS_NET, "hidden.T.dot(dscores) + 2 * reg * W2",
     "hidden.T.dot(dscores)", "reg_mismatch"),
    ("class_gradient_without_penalty", CLASS_NET, "loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))",
     "loss += reg * np.sum(W1 * W1)", "reg_mismatch"),
    ("class_half_gradient", CLASS_NET, "X.T.dot(dhidden) + 2 * reg * W1", "X.T.dot(dhidden) + reg * W1",
     "reg_mismatch"),
    ("class_missing_div_n", CLASS_NET, "(np.exp(log_probs) - Y) / num_train", "np.exp(log_probs) - Y",
     "missing_div_n"),
    ("class_mask_by_gradient", CLASS_NET, "dhidden[hidden_pre <= 0] = 0", "dhidden[dhidden <= 0] = 0",
     "bad_relu_mask"),
    ("fused_correct", FUSED_NET, "", "", "healthy"),
    ("fused_missing_div_n", FUSED_NET, "dlogits = (np.exp(logp) - onehot) / n", "dlogits = np.exp(logp) - onehot",
     "missing_div_n"),
    ("fused_mask_by_gradient", FUSED_NET, "dh *= on", "dh *= dh > 0", "bad_relu_mask"),
    ("fused_db1_before_mask", FUSED_NET, '"b1": dh.sum(0)', '"b1": (dlogits @ W2.T).sum(0)', "db1_before_mask"),
    ("fused_sign_flipped", FUSED_NET, "(np.exp(logp) - onehot) / n", "(onehot - np.exp(logp)) / n", "sign_flipped"),
    ("fused_dW2_uses_Z1", FUSED_NET, '"W2": a.T @ dlogits', '"W2": h.T @ dlogits', "dW2_uses_Z1"),
]


def variant(source, find, replace):
    """`source` with `find` replaced; it must occur exactly once (or be empty for the source as is)."""
    if not find:
        return source
    assert source.count(find) == 1, f"{find!r} occurs {source.count(find)} times"
    return source.replace(find, replace)


def write(tmp_path, name, text):
    """tmp_path / name holding `text`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args):
    """`diagnose ARGS` through click's runner."""
    return CliRunner().invoke(main, [str(a) for a in args])


# -- the report survives the trip from the child --------------------------------------------------

@pytest.mark.parametrize("fault", bugs.FAULTS, ids=lambda f: f.id)
def test_report_from_dict_rebuilds_the_same_report(fault):
    report = diagnose(bugs.make_mutant(fault))
    again = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report and again.text() == report.text()


# -- every catalogued fault, as a file in form (a) ----------------------------------------------

@pytest.mark.parametrize("fault", bugs.FAULTS, ids=lambda f: f.id)
def test_every_catalogued_fault_written_as_a_file_is_named(tmp_path, fault):
    result = check_file(write(tmp_path, "my_net.py", bugs.apply(fault)))
    expected = "healthy" if fault.kind is bugs.Kind.EQUIVALENT or fault.id == "log_no_eps" else fault.id
    assert result.form == "a"
    assert result.report.verdict == expected
    also = {"log_no_eps": ["log_no_eps"], "softmax_jacobian_diagonal": ["grads_nonfinite_saturated"]}  # fragile too
    assert [c.id for c in result.report.cautions] == also.get(fault.id, [])
    assert result.exit_code == (0 if expected == "healthy" else 1)


def test_the_core_written_as_a_file_is_healthy(tmp_path):
    result = check_file(write(tmp_path, "my_net.py", CORE_SOURCE))
    assert (result.report.verdict, result.exit_code) == ("healthy", 0)
    assert result.text().startswith("my_net.py: form (a), forward_loss and backward\nverdict: healthy\n")


# -- hand-written forms (b) and (c) --------------------------------------------------------------

@pytest.mark.parametrize("name, source, find, replace, expected", HANDWRITTEN, ids=[h[0] for h in HANDWRITTEN])
def test_handwritten_class_and_function_files_are_named(tmp_path, name, source, find, replace, expected):
    result = check_file(write(tmp_path, f"{name}.py", variant(source, find, replace)))
    assert result.form == ("b" if source is CLASS_NET else "c")
    assert result.report.verdict == expected
    assert result.exit_code == (0 if expected == "healthy" else 1)
    call = "TwoLayerNet.loss" if source is CLASS_NET else "loss_and_grads"
    assert f"cache purity: the subject returns no cache ({call} gives loss and gradients in one call)" \
        in result.report.skipped


def test_reg_mismatch_names_the_tensor_and_how(tmp_path):
    source = variant(CLASS_NET, "X.T.dot(dhidden) + 2 * reg * W1", "X.T.dot(dhidden) + reg * W1")
    result = check_file(write(tmp_path, "net.py", source))
    (finding,) = [f for f in result.report.findings if f.fault == "reg_mismatch"]
    assert "dW1's penalty term is half the derivative of the loss's penalty" in finding.observed
    assert "W2" not in finding.observed


# -- files that misbehave -------------------------------------------------------------------------

def test_exception_shows_the_persons_file_line_message_and_stage(tmp_path):
    text = ("from core.net import forward_loss\n\n\ndef backward(cache, params):\n"
            "    return helper(cache)\n\n\ndef helper(cache):\n    raise ValueError('shapes do not line up')\n")
    path = write(tmp_path, "raises.py", text)
    result = check_file(path)
    assert result.exit_code == 1 and result.report.verdict == "error"
    failure = result.report.failure
    assert (failure.stage, failure.call, failure.message) == ("shapes and types", "backward",
                                                             "ValueError: shapes do not line up")
    assert f'File "{path}", line 9, in helper' in "\n".join(failure.trace)
    assert "diagnose" not in "\n".join(failure.trace)


def test_infinite_loop_is_stopped_and_reported(tmp_path):
    path = write(tmp_path, "loops.py", "from core.net import forward_loss\n\n\ndef backward(cache, params):\n"
                                       "    while True:\n        pass\n")
    result = check_file(path, timeout=2)
    assert result.exit_code == 1 and result.report is None
    assert result.error == "loops.py did not finish in 2 s (an infinite loop?) during shapes and types"


def test_syntax_error_is_reported_with_its_line_and_exit_2(tmp_path):
    result = check_file(write(tmp_path, "typo.py", "import numpy as np\n\ndef forward_loss(X, y, params:\n"))
    assert result.exit_code == 2
    assert result.error.startswith("typo.py line 3: ")


def test_sys_exit_in_backward_is_reported(tmp_path):
    path = write(tmp_path, "exits.py", "import sys\nfrom core.net import forward_loss\n\n\n"
                                       "def backward(cache, params):\n    sys.exit(3)\n")
    result = check_file(path)
    assert result.exit_code == 1
    assert result.report.failure.message == "called sys.exit(3)"
    assert 'exits.py", line 6, in backward' in "\n".join(result.report.failure.trace)


def test_sys_exit_at_import_is_reported(tmp_path):
    result = check_file(write(tmp_path, "script.py", "import sys\nsys.exit('bye')\n"))
    assert result.exit_code == 1
    assert result.error.startswith("script.py called sys.exit('bye') while being imported")


def test_os_exit_is_reported_as_the_process_ending(tmp_path):
    path = write(tmp_path, "quits.py", "import os\nfrom core.net import forward_loss\n\n\n"
                                       "def backward(cache, params):\n    os._exit(0)\n")
    result = check_file(path)
    assert result.exit_code == 1
    assert result.error.startswith("quits.py ended the process with exit status 0 during shapes and types")


def test_a_crash_of_the_process_is_reported_with_its_signal(tmp_path):
    path = write(tmp_path, "segv.py", "import ctypes\nfrom core.net import forward_loss\n\n\n"
                                      "def backward(cache, params):\n    ctypes.string_at(0)\n")
    result = check_file(path)
    assert result.exit_code == 1
    assert result.error == "segv.py crashed the process (SIGSEGV) during shapes and types"


def test_gradients_of_the_wrong_shape_are_a_fault_not_a_crash(tmp_path):
    text = ("from core.net import forward_loss, backward as correct\n\n\ndef backward(cache, params):\n"
            "    grads = correct(cache, params)\n    grads['W1'] = grads['W1'][:3]\n    return grads\n")
    result = check_file(write(tmp_path, "shapes.py", text))
    assert result.exit_code == 1
    assert result.report.verdict == "shape_mismatch"
    assert "gradient check of W1: its gradient has shape (3, 12)" in result.report.skipped


def test_a_file_with_none_of_the_forms_lists_them_with_exit_2(tmp_path):
    result = check_file(write(tmp_path, "train.py", "def train(X, y):\n    return 0\n"))
    assert result.exit_code == 2
    assert "fits none of the three forms" in result.error and "(c) a function loss_and_grads" in result.error


def test_missing_path_and_directory_exit_2(tmp_path):
    assert check_file(tmp_path / "nope.py").exit_code == 2
    assert check_file(tmp_path).exit_code == 2


def test_sibling_modules_import_and_ours_are_not_shadowed(tmp_path, monkeypatch):
    write(tmp_path, "core.py", "raise RuntimeError('the wrong core')\n")  # in the cwd and beside the file
    write(tmp_path, "layers.py", "import numpy as np\n\ndef relu(z):\n    return np.maximum(0, z)\n")
    source = variant(CORE_SOURCE, "import numpy as np\n", "import numpy as np\nfrom layers import relu\n")
    source = variant(source, "A1 = np.maximum(0, Z1)", "A1 = relu(Z1)")
    monkeypatch.chdir(tmp_path)
    result = check_file(write(tmp_path, "my_net.py", source))
    assert result.report.verdict == "healthy"
    assert not (tmp_path / "__pycache__").exists()


# -- the command ----------------------------------------------------------------------------------

def test_check_command_prints_the_report_and_exits_1_on_a_fault(tmp_path):
    result = run_cli("check", write(tmp_path, "relu.py", bugs.apply(bugs.get("bad_relu_mask"))))
    assert result.exit_code == 1
    assert result.stdout.startswith("relu.py: form (a), forward_loss and backward\nverdict: bad_relu_mask ")


def test_check_json_is_one_document_even_when_the_file_prints(tmp_path):
    source = "print('imported')\n" + variant(CORE_SOURCE, "    validate_inputs(X, y, params)\n",
                                              "    validate_inputs(X, y, params)\n    print('forward')\n")
    result = run_cli("check", "--json", write(tmp_path, "chatty.py", source))
    doc = json.loads(result.stdout)
    assert result.exit_code == 0
    assert (doc["verdict"], doc["form"], doc["exit_code"], doc["error"]) == ("healthy", "a", 0, None)
    assert doc["probe"] == {"seed": 0, "N": 6, "D": 9, "H": 12, "C": 4}


def test_check_json_carries_an_error_too(tmp_path):
    result = run_cli("check", "--json", write(tmp_path, "typo.py", "def f(:\n"))
    doc = json.loads(result.stdout)
    assert result.exit_code == 2
    assert doc["verdict"] == "error" and doc["error"]["kind"] == "usage"
    assert doc["error"]["message"].startswith("typo.py line 1: ")


@pytest.mark.parametrize("args, code, words", [
    (["nope.py"], 2, "does not exist"),
    (["EMPTY_DIR"], 2, "holds no files matching *.py"),  # a directory with files is a batch now
    (["train.py"], 2, "fits none of the three forms"),
    (["--timeout", "1", "loops.py"], 1, "did not finish in 1 s (an infinite loop?) while being imported"),
])
def test_check_command_errors_are_one_clear_line_never_a_traceback(tmp_path, monkeypatch, args, code, words):
    write(tmp_path, "train.py", "def train(X, y):\n    return 0\n")
    write(tmp_path, "loops.py", "while True:\n    pass\n")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = run_cli("check", *[str(tmp_path / "empty") if a == "EMPTY_DIR" else a for a in args])
    assert result.exit_code == code
    assert words in result.stderr and result.stderr.startswith(("Error: ", "Usage: "))
    assert "Traceback" not in result.output


def test_shape_option_probes_at_those_sizes_and_says_isolation_cannot_run(tmp_path):
    result = run_cli("check", "--shape", "20,5,8,3", "--json", write(tmp_path, "my_net.py", CORE_SOURCE))
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["verdict"] == "healthy"
    assert doc["probe"] == {"seed": 0, "N": 20, "D": 5, "H": 8, "C": 3}
    assert any("N = 20 > min(D, H) + 1 = 6" in item for item in doc["skipped"])


def test_shape_option_still_names_a_fault_it_can_decide(tmp_path):
    source = bugs.apply(bugs.get("missing_div_n"))
    result = run_cli("check", "--shape", "20,5,8,3", write(tmp_path, "my_net.py", source))
    assert result.exit_code == 1
    assert "verdict: missing_div_n" in result.stdout
