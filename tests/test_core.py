"""The correct core: init, forward, backward, train_step, and the loss-bounds facts."""
import copy

import numpy as np
import pytest

from core import backward, forward_loss, init_params, train_step

SEEDS = range(20)


def small_problem(seed, N=6, D=4, H=8, C=3):
    """Random float64 data and params with nonzero biases (no kink-avoidance needed here)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    params = {
        "W1": 0.5 * rng.standard_normal((D, H)),
        "b1": 0.5 * rng.standard_normal(H),
        "W2": 0.5 * rng.standard_normal((H, C)),
        "b2": 0.5 * rng.standard_normal(C),
    }
    return X, y, params


def logits_problem(Z):
    """(X, params) for which the core's logits are Z plus a per-row constant (softmax ignores it).

    D = H = C, W1 = W2 = I, zero biases, and X = Z shifted to be >= 1 so the ReLU passes it unchanged.
    """
    C = Z.shape[1]
    eye = np.eye(C)
    params = {"W1": eye.copy(), "b1": np.zeros(C), "W2": eye.copy(), "b2": np.zeros(C)}
    return Z - Z.min() + 1.0, params


def core_ce(z, label):
    """The core's cross-entropy of one example with logits z (1-D) and the given label."""
    X, params = logits_problem(np.asarray(z, dtype=np.float64)[None, :])
    return forward_loss(X, np.array([label]), params)[0]


def exact_ce(z, label):
    """-log softmax(z)[label] as logsumexp(z) - z[label]: no epsilon, no underflow."""
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m))) - z[label]


def assert_same(a, b):
    """Bitwise equal arrays of the same dtype and shape."""
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)


# -- the note's toy problem -------------------------------------------------------------


def test_note_toy_problem_has_loss_log_3(note_toy_problem):
    X, y, params = note_toy_problem
    loss, _ = forward_loss(X, y, params)
    assert abs(loss - 1.0986) < 1e-3


# -- init_params --------------------------------------------------------------------------


@pytest.mark.parametrize("D, H, C", [(4, 10, 3), (1, 1, 2), (7, 3, 11)])
def test_init_params_has_the_layer_shapes_in_float64(D, H, C):
    params = init_params(D, H, C)
    assert {k: v.shape for k, v in params.items()} == {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    assert all(v.dtype == np.float64 for v in params.values())


@pytest.mark.parametrize("seed", SEEDS)
def test_init_params_is_determined_by_its_seed(seed):
    a, b = init_params(5, 6, 4, seed=seed), init_params(5, 6, 4, seed=seed)
    for name in a:
        assert_same(a[name], b[name])
    other = init_params(5, 6, 4, seed=seed + 1000)
    assert not np.array_equal(a["W1"], other["W1"])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("scale", [0.01, 0.5, 2.0])
def test_init_params_draws_scaled_gaussian_weights_and_zero_biases(seed, scale):
    D, H, C = 6, 7, 5
    params = init_params(D, H, C, seed=seed, scale=scale)
    rng = np.random.default_rng(seed)
    assert_same(params["W1"], scale * rng.standard_normal((D, H)))
    assert_same(params["W2"], scale * rng.standard_normal((H, C)))
    assert not params["b1"].any() and not params["b2"].any()


def test_init_params_default_scale_gives_weight_std_near_0_01():
    params = init_params(200, 200, 200, seed=3)
    for name in ("W1", "W2"):
        assert abs(params[name].std() - 0.01) < 0.01 * 0.02
        assert abs(params[name].mean()) < 0.01 * 0.02


def test_init_params_at_zero_biases_predicts_nearly_uniform_classes():
    X = np.random.default_rng(0).standard_normal((8, 5))
    loss, cache = forward_loss(X, np.arange(8) % 4, init_params(5, 6, 4, seed=0))
    np.testing.assert_allclose(cache["P"], 0.25, atol=1e-3)
    assert abs(loss - np.log(4)) < 1e-3


# -- forward_loss and backward ------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_backward_returns_one_float64_gradient_per_param_with_its_shape(seed):
    X, y, params = small_problem(seed)
    grads = backward(forward_loss(X, y, params)[1], params)
    assert set(grads) == set(params)
    for name in params:
        assert grads[name].shape == params[name].shape and grads[name].dtype == np.float64


@pytest.mark.parametrize("seed", SEEDS)
def test_forward_loss_cache_holds_the_forward_quantities(seed):
    X, y, params = small_problem(seed)
    loss, cache = forward_loss(X, y, params)
    Z1 = X @ params["W1"] + params["b1"]
    np.testing.assert_allclose(cache["Z1"], Z1, rtol=1e-12)
    np.testing.assert_array_equal(cache["A1"], np.maximum(0, cache["Z1"]))
    np.testing.assert_allclose(cache["P"].sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(cache["P"] > 0)
    np.testing.assert_allclose(loss, -np.mean(np.log(cache["P"][np.arange(len(y)), y])), rtol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_backward_modifies_nothing(seed):
    X, y, params = small_problem(seed)
    _, cache = forward_loss(X, y, params)
    before = copy.deepcopy((X, y, params, cache))
    backward(cache, params)
    for a, b in zip((X, y), before[:2]):
        assert_same(a, b)
    for now, then in ((params, before[2]), (cache, before[3])):
        assert set(now) == set(then)
        for name in then:
            assert_same(now[name], then[name])


@pytest.mark.parametrize("seed", SEEDS)
def test_forward_loss_modifies_nothing(seed):
    X, y, params = small_problem(seed)
    before = copy.deepcopy((X, y, params))
    forward_loss(X, y, params)
    assert_same(X, before[0])
    assert_same(y, before[1])
    for name in params:
        assert_same(params[name], before[2][name])


@pytest.mark.parametrize("seed", SEEDS)
def test_adding_1000_to_every_logit_changes_neither_loss_nor_grads(seed):
    X, y, params = small_problem(seed)
    loss, cache = forward_loss(X, y, params)
    grads = backward(cache, params)
    shifted = dict(params, b2=params["b2"] + 1000.0)
    loss_s, cache_s = forward_loss(X, y, shifted)
    grads_s = backward(cache_s, shifted)
    assert np.isfinite(loss_s)
    np.testing.assert_allclose(loss_s, loss, rtol=1e-9)
    for name in grads:
        np.testing.assert_allclose(grads_s[name], grads[name], rtol=1e-9, atol=1e-12, err_msg=name)


# -- train_step ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("lr", [0.1, 1e-3, 2.5])
def test_train_step_returns_loss_and_grads_then_steps_params_by_minus_lr_grads(seed, lr):
    X, y, params = small_problem(seed)
    before = copy.deepcopy(params)
    loss0, cache0 = forward_loss(X, y, before)
    grads0 = backward(cache0, before)
    arrays = {name: params[name] for name in params}

    loss, grads = train_step(X, y, params, lr=lr)

    assert loss == loss0
    for name in before:
        assert_same(grads[name], grads0[name])
        assert params[name] is arrays[name]  # updated in place
        assert_same(params[name], before[name] - lr * grads0[name])


def test_train_step_default_learning_rate_is_0_1():
    X, y, params = small_problem(0)
    before = copy.deepcopy(params)
    _, grads = train_step(X, y, params)
    for name in before:
        assert_same(params[name], before[name] - 0.1 * grads[name])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_small_train_step_lowers_the_loss(seed):
    X, y, params = small_problem(seed)
    loss, _ = train_step(X, y, params, lr=1e-3)
    assert forward_loss(X, y, params)[0] < loss


# -- loss bounds: -log p_y for one example --------------------------------------------------

CLASSES = [2, 3, 5, 10]


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("C", CLASSES)
def test_loss_lies_in_0_log_c_when_the_argmax_is_the_label(seed, C):
    rng = np.random.default_rng(seed)
    for _ in range(20):
        z = rng.uniform(-5, 5, C)  # margins stay below 10, far from where p_y rounds to 1
        label = int(np.argmax(z))
        loss = core_ce(z, label)
        assert 0 < loss <= np.log(C)
        np.testing.assert_allclose(loss, exact_ce(z, label), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("C", CLASSES)
def test_loss_reaches_log_c_when_all_logits_tie(C):
    np.testing.assert_allclose(core_ce(np.full(C, 0.7), C - 1), np.log(C), rtol=1e-9)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("C", CLASSES)
def test_loss_tends_to_0_as_the_true_logit_grows(seed, C):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(C)
    label = int(rng.integers(C))
    top_other = np.delete(z, label).max()
    losses = [core_ce(np.where(np.arange(C) == label, top_other + t, z), label) for t in np.arange(0.0, 25.0)]
    assert np.all(np.diff(losses) < 0)
    assert 0 < losses[-1] < 1e-9


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("C", CLASSES)
def test_loss_grows_like_the_logit_gap_as_p_y_tends_to_0(seed, C):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(C)
    label = int(rng.integers(C))
    gaps = np.arange(0.0, 21.0)
    top_other = np.delete(z, label).max()
    losses = np.array([core_ce(np.where(np.arange(C) == label, top_other - gap, z), label) for gap in gaps])
    assert np.all(np.diff(losses) > 0)
    # -log p_y >= max_j z_j - z_y: log-softmax keeps this exact
    assert np.all(losses >= gaps - 1e-12)


@pytest.mark.parametrize("bound", [10.0, 25.0, 30.0, 100.0, 1000.0])
def test_loss_exceeds_any_bound_once_p_y_is_small_enough(bound):
    z = np.array([bound + 5.0, 0.0, 0.0])
    assert exact_ce(z, 1) > bound
    assert core_ce(z, 1) > bound


@pytest.mark.parametrize("margin", [30.0, 40.0, 800.0])
def test_loss_is_never_negative_even_for_a_certain_correct_prediction(margin):
    assert core_ce(np.array([margin, 0.0, 0.0]), 0) >= 0
