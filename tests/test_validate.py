"""Input validation: each bad input is refused with a message naming what was expected."""
import re

import numpy as np
import pytest

from core import PARAM_KEYS, forward_loss, init_params, train_step, validate_inputs, validate_params

N, D, H, C = 5, 4, 10, 3


def good_inputs():
    rng = np.random.default_rng(0)
    return rng.standard_normal((N, D)), np.array([0, 1, 2, 2, 1]), init_params(D, H, C, seed=0)


def without(params, name):
    return {k: v for k, v in params.items() if k != name}


# (what is wrong, f(X, y, params) -> bad (X, y, params), the exact message)
BAD_INPUTS = [
    ("y_column", lambda X, y, p: (X, y.reshape(-1, 1), p), "y must have shape (N,) = (5,), got (5, 1)"),
    ("y_scalar", lambda X, y, p: (X, np.int64(1), p), "y must have shape (N,) = (5,), got ()"),
    ("y_short", lambda X, y, p: (X, y[:4], p), "y must have shape (N,) = (5,) to match X's 5 rows, got (4,)"),
    ("X_extra_row", lambda X, y, p: (np.vstack([X, X[:1]]), y, p),
     "y must have shape (N,) = (6,) to match X's 6 rows, got (5,)"),
    ("y_float", lambda X, y, p: (X, y.astype(np.float64), p), "y must hold integer class labels, got dtype float64"),
    ("y_bool", lambda X, y, p: (X, y > 0, p), "y must hold integer class labels, got dtype bool"),
    ("y_equals_C", lambda X, y, p: (X, np.array([0, 1, 3, 2, 1]), p),
     "y must hold labels in [0, C) = [0, 3), got 3 at index 2"),
    ("y_negative", lambda X, y, p: (X, np.array([0, 1, 2, -1, 1]), p),
     "y must hold labels in [0, C) = [0, 3), got -1 at index 3"),
    ("X_1d", lambda X, y, p: (X[0], y, p), "X must be 2-D with shape (N, D), got shape (4,)"),
    ("X_3d", lambda X, y, p: (X[None], y, p), "X must be 2-D with shape (N, D), got shape (1, 5, 4)"),
    ("params_list", lambda X, y, p: (X, y, list(p.values())),
     "params must be a dict with keys W1, b1, W2, b2, got list"),
    ("missing_b2", lambda X, y, p: (X, y, without(p, "b2")), "params is missing b2: expected keys W1, b1, W2, b2"),
    ("missing_W1_b1", lambda X, y, p: (X, y, without(without(p, "W1"), "b1")),
     "params is missing W1, b1: expected keys W1, b1, W2, b2"),
    ("W2_as_list", lambda X, y, p: (X, y, dict(p, W2=p["W2"].tolist())),
     'params["W2"] must be a numpy array, got list'),
    ("W1_1d", lambda X, y, p: (X, y, dict(p, W1=p["W1"][0])), 'params["W1"] must have shape (D, H), got (10,)'),
    ("W1_wrong_D", lambda X, y, p: (X, y, dict(p, W1=np.zeros((D + 1, H)))),
     'params["W1"] must have shape (D, H) = (4, 10) to match X, got (5, 10)'),
    ("W2_wrong_H", lambda X, y, p: (X, y, dict(p, W2=np.zeros((H - 1, C)))),
     'params["W2"] must have shape (H, C) with H = 10, got (9, 3)'),
    ("W2_1d", lambda X, y, p: (X, y, dict(p, W2=np.zeros(H))),
     'params["W2"] must have shape (H, C) with H = 10, got (10,)'),
    ("b1_column", lambda X, y, p: (X, y, dict(p, b1=np.zeros((H, 1)))),
     'params["b1"] must have shape (10,), got (10, 1)'),
    ("b2_wrong_C", lambda X, y, p: (X, y, dict(p, b2=np.zeros(C + 1))), 'params["b2"] must have shape (3,), got (4,)'),
]


@pytest.mark.parametrize("entry", [validate_inputs, forward_loss, train_step], ids=lambda f: f.__name__)
@pytest.mark.parametrize("case, spoil, message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_raises_value_error_naming_what_was_expected(entry, case, spoil, message):
    X, y, params = spoil(*good_inputs())
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        entry(X, y, params)


def test_valid_inputs_pass_validation():
    assert validate_inputs(*good_inputs()) is None


def test_labels_as_a_python_list_are_accepted():
    X, y, params = good_inputs()
    assert forward_loss(X, y.tolist(), params)[0] == forward_loss(X, y, params)[0]


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64])
def test_any_integer_label_dtype_is_accepted(dtype):
    X, y, params = good_inputs()
    assert forward_loss(X, y.astype(dtype), params)[0] == forward_loss(X, y, params)[0]


@pytest.mark.parametrize("D_, H_, C_", [(4, 10, 3), (1, 1, 2), (7, 2, 9)])
def test_validate_params_returns_d_h_c(D_, H_, C_):
    assert validate_params(init_params(D_, H_, C_)) == (D_, H_, C_)
    assert validate_params(init_params(D_, H_, C_), D=D_) == (D_, H_, C_)


def test_param_keys_are_the_four_tensors_in_layer_order():
    assert PARAM_KEYS == ("W1", "b1", "W2", "b2")


def test_refused_input_leaves_params_unchanged():
    X, y, params = good_inputs()
    before = {k: v.copy() for k, v in params.items()}
    with pytest.raises(ValueError):
        train_step(X, y.reshape(-1, 1), params)
    for name in before:
        np.testing.assert_array_equal(params[name], before[name])


def test_params_with_an_extra_key_are_refused():
    params = init_params(4, 5, 3)
    params["note"] = np.zeros(1)
    with pytest.raises(ValueError, match=r"params has unexpected keys note: expected exactly W1, b1, W2, b2"):
        validate_params(params)
