"""The adapter kit (diagnose.adapt): conversions both ways, and the one-line errors people will meet.

The kit's conversions are checked against the core's own gradients; each mistake a person
can make with it (a wrong layout declared, a name mapping that misses a tensor, an update
with momentum) ends in one line with exit 2, and a fault of the code in one line with exit 1,
through `diagnose check` as well as in the library.
"""
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner

import core
from diagnose import adapt, diagnose
from diagnose.check.isolate import check_file
from diagnose.check.loader import ClassForm, FusedForm, load_subject
from diagnose.cli.main import main
from diagnose.engine.probe import make_probe

KEYS = ("W1", "b1", "W2", "b2")


def problem(seed):
    """(X, y, params, reference grads) of a seeded probe."""
    probe = make_probe(seed)
    return probe.X.copy(), probe.y.copy(), probe.fresh_params(), probe.grads


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def columns_code(X, Y, p):
    """Correct code for the columns frame: X (D, N), W (out, in), b (out, 1), Y one-hot (C, N); grads dW1..."""
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.maximum(Z1, 0)
    Z2 = p["W2"] @ A1 + p["b2"]
    log_P = Z2 - Z2.max(axis=0) - np.log(np.exp(Z2 - Z2.max(axis=0)).sum(axis=0))
    m = X.shape[1]
    dZ2 = (np.exp(log_P) - Y) / m
    dZ1 = (p["W2"].T @ dZ2) * (Z1 > 0)
    grads = {"dW1": dZ1 @ X.T, "db1": dZ1.sum(axis=1, keepdims=True),
             "dW2": dZ2 @ A1.T, "db2": dZ2.sum(axis=1, keepdims=True)}
    return -np.sum(Y * log_P) / m, grads


# -- the frame ------------------------------------------------------------------------------------

def test_columns_frame_gives_the_code_columns_out_in_weights_and_column_biases():
    X, y, params, _ = problem(0)
    Xc, Y, p = adapt.Frame("columns").inputs(X, y, params)
    assert Xc.shape == (9, 6) and Y.shape == (4, 6)
    assert np.array_equal(Y.argmax(axis=0), y) and np.array_equal(Y.sum(axis=0), np.ones(6))
    assert {k: v.shape for k, v in p.items()} == {"W1": (12, 9), "b1": (12, 1), "W2": (4, 12), "b2": (4, 1)}
    assert np.array_equal(p["W1"], params["W1"].T)


def test_params_in_the_frame_are_views_so_an_update_in_place_stays_visible():
    _, _, params, _ = problem(1)
    before = params["b1"].copy()
    p = adapt.Frame("columns").params(params)
    p["b1"] -= 1.0
    assert np.array_equal(params["b1"], before - 1.0)


@pytest.mark.parametrize("labels, shape", [("ids", (6,)), ("ids_row", (1, 6)), ("onehot_rows", (6, 4)),
                                           ("onehot_columns", (4, 6))])
def test_labels_come_in_the_form_declared(labels, shape):
    X, y, params, _ = problem(2)
    _, t, _ = adapt.Frame(labels=labels).inputs(X, y, params)
    assert t.shape == shape
    decode = {"ids": lambda t: t, "ids_row": np.ravel, "onehot_rows": lambda t: t.argmax(axis=1),
              "onehot_columns": lambda t: t.argmax(axis=0)}
    assert np.array_equal(decode[labels](t), y)


def test_a_nested_tuple_order_packs_lists_and_unpacks_them_back():
    X, y, params, ref = problem(3)
    frame = adapt.Frame("columns", params=(("b1", "b2"), ("W1", "W2")))
    biases, weights = frame.params(params)
    assert [b.shape for b in biases] == [(12, 1), (4, 1)] and [w.shape for w in weights] == [(12, 9), (4, 12)]
    theirs = ([ref["b1"][:, None], ref["b2"][:, None]], [ref["W1"].T, ref["W2"].T])
    back = frame.grads(theirs, params)
    assert all(np.array_equal(back[k], ref[k]) for k in KEYS)


def test_a_prefix_names_the_gradients_after_the_persons_param_names():
    frame = adapt.Frame(params={"W1": "W_h", "b1": "b_h", "W2": "W_o", "b2": "b_o"}, grads="grad_")
    assert frame.grad_names.spec == {"W1": "grad_W_h", "b1": "grad_b_h", "W2": "grad_W_o", "b2": "grad_b_o"}


def test_a_name_mapping_that_misses_a_tensor_is_a_usage_error():
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame(params={"W1": "w1", "b1": "b1", "W2": "w2"})
    assert err.value.exit_code == 2
    assert str(err.value) == "Frame(params=...) misses b2: map each of W1, b1, W2, b2 exactly once to your name"


def test_an_unknown_layout_lists_the_choices():
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame("colums")
    assert (err.value.exit_code, str(err.value)) == (2, "Frame(data='colums'): expected one of 'rows', 'columns'")


def test_a_bias_gradient_without_keepdims_for_a_column_bias_is_the_codes_fault():
    X, y, params, ref = problem(4)
    grads = {"dW1": ref["W1"].T, "db1": ref["b1"], "dW2": ref["W2"].T, "db2": ref["b2"][:, None]}
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame("columns", grads="d").grads(grads, params, "backward_propagation")
    assert err.value.exit_code == 1
    assert str(err.value).startswith("backward_propagation returned db1 of shape (12,) for b1 of shape (12, 1): "
                                     "`b1 = b1 - lr * db1` broadcasts to (12, 12)")


def test_a_flat_bias_gradient_for_a_row_bias_is_accepted_since_the_update_keeps_its_shape():
    X, y, params, ref = problem(5)
    back = adapt.Frame(bias="row").grads(dict(ref), params)
    assert all(np.array_equal(back[k], ref[k]) for k in KEYS)


def test_a_transposed_weight_gradient_in_a_columns_frame_still_reaches_the_shape_stage():
    frame = adapt.Frame("columns", grads="d")

    def transposed_dW2(X, Y, p):
        loss, grads = columns_code(X, Y, p)
        return loss, {**grads, "dW2": grads["dW2"].T}
    assert diagnose(FusedForm(frame.wrap(transposed_dW2))).verdict == "dW2_transposed"


def test_correct_columns_code_through_the_frame_is_healthy():
    assert diagnose(FusedForm(adapt.Frame("columns", grads="d").wrap(columns_code))).verdict == "healthy"


def test_a_gradient_under_a_name_the_mapping_does_not_know_is_a_usage_error():
    X, y, params, ref = problem(6)
    grads = {"dW1": ref["W1"], "grad_b1": ref["b1"], "dW2": ref["W2"], "db2": ref["b2"]}
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame(grads="d").grads(grads, params, "backprop")
    assert err.value.exit_code == 2
    assert str(err.value) == ("backprop returned keys 'dW1', 'grad_b1', 'dW2', 'db2'; Frame(grads=...) asks for "
                              "'db1' for b1: map b1 to one of 'grad_b1'")


def test_a_gradient_missing_altogether_is_the_codes_fault():
    X, y, params, ref = problem(7)
    grads = {"dW1": ref["W1"], "dW2": ref["W2"], "db2": ref["b2"]}
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame(grads="d").grads(grads, params, "backprop")
    assert err.value.exit_code == 1 and str(err.value).startswith("backprop returned no b1:")


def test_rows_code_declared_as_columns_names_the_frame_in_which_it_runs():
    X, y, params, _ = problem(8)

    def rows_code(X, y, p):
        loss, cache = core.forward_loss(X, y, p)
        return loss, core.backward(cache, p)
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame("columns").wrap(rows_code)(X, y, params)
    assert err.value.exit_code == 2
    assert str(err.value).startswith("rows_code fails in the frame declared, Frame('columns', weights='out_in', "
                                     "bias='column', labels='onehot_columns') (")
    assert str(err.value).endswith("but runs in Frame('rows', weights='in_out', bias='flat', labels='ids'): "
                                   "declare that frame")


def test_code_that_fails_in_every_layout_raises_its_own_error():
    X, y, params, _ = problem(9)

    def broken(X, y, p):
        return np.ones((2, 3)) @ np.ones((4, 5)), {}
    with pytest.raises(ValueError, match="matmul"):
        adapt.Frame("columns").wrap(broken)(X, y, params)


# -- gradients from an update ---------------------------------------------------------------------

class SGDNet:
    """Weights as attributes; step() updates them in place, with optional momentum or Adam."""

    def __init__(self, optimiser="sgd"):
        self.optimiser, self.lr, self.state, self.t = optimiser, 0.1, {}, 0

    def train(self, X, y):
        params = {k: getattr(self, k) for k in KEYS}
        loss, cache = core.forward_loss(X, y, params)
        grads = core.backward(cache, params)
        self.t += 1
        for k in KEYS:
            g = grads[k]
            if self.optimiser == "momentum":
                self.state[k] = 0.9 * self.state.get(k, 0) + g  # v <- mu v + g
                g = self.state[k]
            elif self.optimiser == "adam":
                m = self.state[k] = 0.1 * g + 0.9 * self.state.get(k, 0)
                v = self.state[k + "v"] = 0.001 * g ** 2 + 0.999 * self.state.get(k + "v", 0)
                g = (m / (1 - 0.9 ** self.t)) / (np.sqrt(v / (1 - 0.999 ** self.t)) + 1e-8)
            getattr(self, k)[...] -= self.lr * g
        return loss


def update_adapter(net):
    def loss_and_grads(X, y, params):
        def step(lr):
            net.lr = lr
            return net.train(X, y)
        return adapt.grads_from_update(step, net, params)
    return loss_and_grads


def test_grads_from_a_plain_sgd_step_equal_the_gradients():
    X, y, params, ref = problem(10)
    loss, grads = update_adapter(SGDNet())(X, y, params)
    assert np.isclose(loss, core.forward_loss(X, y, params)[0], rtol=1e-12)
    assert all(np.allclose(grads[k], ref[k], rtol=1e-9, atol=1e-12) for k in KEYS)


@pytest.mark.parametrize("optimiser, words", [("momentum", "the optimiser keeps a state (momentum"),
                                              ("adam", "has the same size")])
def test_an_update_with_momentum_or_adam_is_a_usage_error(optimiser, words):
    X, y, params, _ = problem(11)
    with pytest.raises(adapt.AdapterError) as err:
        update_adapter(SGDNet(optimiser))(X, y, params)
    assert err.value.exit_code == 2 and words in str(err.value) and "plain SGD step" in str(err.value)


def test_a_step_that_returns_the_loss_after_its_update_is_a_usage_error():
    X, y, params, _ = problem(12)
    net = SGDNet()

    def step(lr):
        net.lr = lr
        net.train(X, y)
        return core.forward_loss(X, y, {k: getattr(net, k) for k in KEYS})[0]
    with pytest.raises(adapt.AdapterError) as err:
        adapt.grads_from_update(step, net, params)
    assert err.value.exit_code == 2 and "it returns the loss after its update" in str(err.value)


def test_assign_copies_into_the_arrays_a_layer_already_holds():
    _, _, params, _ = problem(13)
    store = {k: np.zeros_like(v) for k, v in params.items()}
    held = store["W1"]
    adapt.assign(store, params)
    assert store["W1"] is held and np.array_equal(held, params["W1"]) and held is not params["W1"]


# -- per sample -----------------------------------------------------------------------------------

def one_sample(params):
    """Per-sample code on a column x (D, 1), label an int; grads as lists [dW1, dW2], [db1, db2] in rows shapes."""
    def backprop(x, t):
        loss, cache = core.forward_loss(x.T, np.array([t]), params)
        g = core.backward(cache, params)
        return loss, ([g["W1"], g["W2"]], [g["b1"], g["b2"]])
    return backprop


@pytest.mark.parametrize("reduce, factor", [("mean", 1.0), ("sum", 6.0)])
def test_per_sample_mean_is_the_batch_gradient_and_sum_is_n_times_it(reduce, factor):
    X, y, params, ref = problem(14)
    frame = adapt.Frame("columns", weights="in_out", bias="flat", labels="ids", params=(("W1", "W2"), ("b1", "b2")))
    loss, grads = adapt.per_sample(one_sample(params), X, y, params, frame=frame, reduce=reduce)
    assert np.isclose(loss, factor * core.forward_loss(X, y, params)[0], rtol=1e-12)
    assert all(np.allclose(grads[k], factor * ref[k], rtol=1e-10, atol=1e-14) for k in KEYS)


def test_per_sample_with_flat_samples_and_ids_gives_each_sample_as_a_vector():
    X, y, params, ref = problem(18)
    seen = []

    def backprop(x, t):
        seen.append((x.shape, type(t)))
        loss, cache = core.forward_loss(x[None, :], np.array([t]), params)
        return loss, core.backward(cache, params)
    loss, grads = adapt.per_sample(backprop, X, y, params, flat=True)
    assert set(seen) == {((9,), int)} and len(seen) == 6
    assert all(np.allclose(grads[k], ref[k], rtol=1e-10, atol=1e-14) for k in KEYS)


def test_per_sample_gradients_whose_shape_changes_between_samples_are_a_fault():
    X, y, params, ref = problem(15)
    shapes = iter([(12,), (1, 12)] * 3)

    def backprop(x, t):
        return 0.0, {"W1": ref["W1"], "b1": np.zeros(next(shapes)), "W2": ref["W2"], "b2": ref["b2"]}
    with pytest.raises(adapt.AdapterError) as err:
        adapt.per_sample(backprop, X, y, params)
    assert err.value.exit_code == 1
    assert str(err.value) == "backprop returned b1 of shape (1, 12) for sample 1 and (12,) for sample 0"


# -- through `diagnose check`: one line, exit 2 or 1, never our traceback ---------------------------

ROWS_DECLARED_AS_COLUMNS = '''
    import numpy as np
    from diagnose import adapt

    def forward(X, W1, b1, W2, b2):
        H = np.maximum(X @ W1 + b1, 0)
        return H, H @ W2 + b2

    @adapt.Frame("columns").wrap
    def loss_and_grads(X, y, p):
        H, S = forward(X, p["W1"], p["b1"], p["W2"], p["b2"])
        return 0.0, {"W1": X.T @ H, "b1": H.sum(0), "W2": H.T @ S, "b2": S.sum(0)}
'''

MAPPING_MISSES_B2 = '''
    from diagnose import adapt
    FRAME = adapt.Frame(params={"W1": "w1", "b1": "c1", "W2": "w2"})

    def loss_and_grads(X, y, params):
        return 0.0, {}
'''

MOMENTUM = '''
    import numpy as np
    from diagnose import adapt

    class Net:
        def __init__(self):
            self.velocity = {}

        def step(self, X, y, lr):
            N = X.shape[0]
            Z1 = X @ self.W1 + self.b1
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ self.W2 + self.b2
            P = np.exp(Z2 - Z2.max(1, keepdims=True))
            P /= P.sum(1, keepdims=True)
            loss = -np.log(P[np.arange(N), y]).mean()
            dZ2 = P.copy()
            dZ2[np.arange(N), y] -= 1
            dZ2 /= N
            dZ1 = dZ2 @ self.W2.T * (Z1 > 0)
            grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
            for k, g in grads.items():
                self.velocity[k] = 0.9 * self.velocity.get(k, 0) - lr * g
                setattr(self, k, getattr(self, k) + self.velocity[k])
            return loss

    NET = Net()

    def loss_and_grads(X, y, params):
        return adapt.grads_from_update(lambda lr: NET.step(X, y, lr), NET, params)
'''

UNMAPPED_NAME = '''
    import core
    from diagnose import adapt
    FRAME = adapt.Frame(grads="d")

    def backward(X, y, p):
        loss, cache = core.forward_loss(X, y, p)
        g = core.backward(cache, p)
        return loss, {"dW1": g["W1"], "grad_b1": g["b1"], "dW2": g["W2"], "db2": g["b2"]}

    loss_and_grads = FRAME.wrap(backward)
'''

RAISES_ITS_OWN = '''
    from diagnose import adapt

    @adapt.Frame("columns").wrap
    def loss_and_grads(X, Y, p):
        raise NotImplementedError("forward not written yet")
'''


@pytest.mark.parametrize("text, code, start", [
    (ROWS_DECLARED_AS_COLUMNS, 2, "net.py: loss_and_grads fails in the frame declared, Frame('columns'"),
    (MAPPING_MISSES_B2, 2, "net.py: Frame(params=...) misses b2: map each of W1, b1, W2, b2 exactly once"),
    (MOMENTUM, 2, "net.py: the update step: the same step from the same weights at lr=1 moved them differently"),
    (UNMAPPED_NAME, 2, "net.py: backward returned keys 'dW1', 'grad_b1', 'dW2', 'db2'; Frame(grads=...) asks for"),
])
def test_check_turns_an_adapter_mistake_into_one_line_and_its_exit_code(tmp_path, text, code, start):
    result = check_file(write(tmp_path, "net.py", text))
    assert (result.report, result.exit_code) == (None, code)
    assert result.error.startswith(start) and "\n" not in result.error and "Traceback" not in result.error


def test_check_command_prints_a_wrong_layout_as_an_error_with_exit_2(tmp_path):
    path = write(tmp_path, "net.py", ROWS_DECLARED_AS_COLUMNS)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: net.py: loss_and_grads fails in the frame declared")
    assert result.output.endswith("declare that frame\n") and result.output.count("\n") == 1


def test_check_of_a_kit_user_whose_own_code_raises_shows_its_own_traceback(tmp_path):
    path = write(tmp_path, "net.py", RAISES_ITS_OWN)
    result = check_file(path)
    assert result.exit_code == 1 and result.report.verdict == "error"
    assert result.report.failure.message == "NotImplementedError: forward not written yet"
    assert all("diagnose/" not in line for line in result.report.failure.trace)
    assert f'File "{path}"' in result.report.failure.trace[0]


def test_loss_and_grads_is_preferred_over_a_class_named_two_layer_net(tmp_path):
    text = '''
        class TwoLayerNet:
            def __init__(self, a, b, c):
                self.params = {}

            def loss(self, x, t):
                return 0.0

        def loss_and_grads(X, y, params):
            return 0.0, {}
    '''
    form = load_subject(write(tmp_path, "saito.py", text))
    assert isinstance(form, FusedForm) and not isinstance(form, ClassForm)


def test_passing_the_frames_own_params_back_is_a_usage_error_not_a_false_shape_fault():
    X, y, params, ref = problem(16)
    frame = adapt.Frame("columns", grads="d")
    theirs = frame.params(params)
    grads = {"dW1": ref["W1"].T, "db1": ref["b1"][:, None], "dW2": ref["W2"].T, "db2": ref["b2"][:, None]}
    with pytest.raises(adapt.AdapterError) as err:
        frame.grads(grads, theirs)
    assert err.value.exit_code == 2 and "pass the params that loss_and_grads(X, y, params) received" in str(err.value)
    assert all(np.array_equal(v, ref[k]) for k, v in frame.grads(grads, params).items())


def test_columns_code_under_the_default_rows_frame_is_told_to_declare_columns():
    X, y, params, _ = problem(17)
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame(grads="d").wrap(columns_code)(X, y, params)
    assert err.value.exit_code == 2
    assert str(err.value).endswith("but runs in Frame('columns', weights='out_in', bias='column', "
                                   "labels='onehot_columns'): declare that frame")


def test_a_per_sample_loss_that_is_not_a_number_is_one_line_naming_the_function():
    X, y, params, ref = problem(19)

    def backprop(x, t):
        return {"loss": 1.0}, dict(ref)
    with pytest.raises(adapt.AdapterError) as err:
        adapt.per_sample(backprop, X, y, params)
    assert err.value.exit_code == 1
    assert str(err.value).startswith("backprop gave a loss that is not an array of numbers (dict: ")


def test_a_grads_prefix_with_params_given_by_order_is_a_usage_error():
    with pytest.raises(adapt.AdapterError) as err:
        adapt.Frame(params=("W1", "b1", "W2", "b2"), grads="d")
    assert (err.value.exit_code, str(err.value)) == (2, "Frame(grads='d'): a prefix needs params given by name, "
                                                        "not by order")


COUNTING = '''
    import core
    {kit}

    def loss_and_grads(X, y, params):
        with open({log!r}, "a") as f:
            f.write("call\\n")
        loss, cache = core.forward_loss(X, y, params)
        return loss, core.backward(cache, params)
'''


def test_only_a_file_that_imports_the_kit_is_called_once_before_the_diagnosis(tmp_path):
    calls = {}
    for kit in ("", "from diagnose import adapt"):
        log = tmp_path / f"log{len(calls)}.txt"
        result = check_file(write(tmp_path, f"net{len(calls)}.py", COUNTING.format(kit=kit, log=str(log))))
        assert result.report.verdict == "healthy"
        calls[kit] = (len(log.read_text().splitlines()), result.report.forward_calls)
    assert calls["from diagnose import adapt"] == (calls[""][0] + 1, calls[""][1])
