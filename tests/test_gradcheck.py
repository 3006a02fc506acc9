"""The gradient check: it passes on the correct backward and fails on an injected 0.1% error."""
import copy

import numpy as np
import pytest

from core import backward, forward_loss, grad_check, grad_check_sampled, init_params, numeric_grad, rel_error

# Measured over seeds 0..999 of random_problem: the worst error is 2.6e-6 (4 draws exceed
# 1e-6), on entries of size ~1e-6 where the O(h^2) truncation of the central
# difference dominates; the median is 2e-9. A gradient scaled by 1.001 gives 0.001 / 2.001 = 5e-4.
PASS = 1e-5
FAIL = 1e-4


def core_grads(X, y, params):
    return backward(forward_loss(X, y, params)[1], params)


def test_note_toy_problem_passes_grad_check_below_1e_6(note_toy_problem):
    X, y, params = note_toy_problem
    errors = grad_check(X, y, params, core_grads(X, y, params))
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("seed", range(60))
def test_grad_check_passes_on_random_shapes_with_nonzero_biases(make_problem, seed):
    X, y, params = make_problem(seed)
    assert np.all(params["b1"] != 0) and np.all(params["b2"] != 0)
    errors = grad_check(X, y, params, core_grads(X, y, params))
    assert max(errors.values()) < PASS, errors


@pytest.mark.parametrize("seed", range(20))
def test_grad_check_sampled_passes_on_random_shapes_with_nonzero_biases(make_problem, seed):
    X, y, params = make_problem(seed)
    errors = grad_check_sampled(X, y, params, core_grads(X, y, params), k=5, seed=seed)
    assert max(errors.values()) < PASS, errors


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("name", ["W1", "b1", "W2", "b2"])
@pytest.mark.parametrize("check", [grad_check, grad_check_sampled])
def test_grad_check_fails_on_one_gradient_scaled_by_1_001(make_problem, check, name, seed):
    X, y, params = make_problem(seed, N=6, D=4, H=8, C=3, bias_scale=1.0)
    grads = core_grads(X, y, params)
    assert np.any(grads[name] != 0)  # probe precondition: some unit is alive
    grads[name] = grads[name] * 1.001
    errors = check(X, y, params, grads)
    assert errors[name] > FAIL
    np.testing.assert_allclose(errors[name], 0.001 / 2.001, rtol=1e-2)
    assert all(errors[other] < PASS for other in errors if other != name), errors


@pytest.mark.parametrize("check", [grad_check, grad_check_sampled])
def test_grad_check_leaves_params_bitwise_unchanged(make_problem, check):
    X, y, params = make_problem(0)
    before = copy.deepcopy(params)
    check(X, y, params, core_grads(X, y, params))
    for name in before:
        np.testing.assert_array_equal(params[name], before[name])


def test_grad_check_restores_params_when_the_loss_raises(make_problem):
    X, y, params = make_problem(1)
    before = copy.deepcopy(params)
    calls = []

    def failing_loss(X, y, params):
        calls.append(1)
        if len(calls) == 2:  # the loss at p[idx] - h
            raise RuntimeError("boom")
        return forward_loss(X, y, params)

    with pytest.raises(RuntimeError, match="boom"):
        grad_check(X, y, params, core_grads(X, y, params), forward_loss=failing_loss)
    for name in before:
        np.testing.assert_array_equal(params[name], before[name])


def test_grad_check_uses_the_forward_loss_it_is_given(make_problem):
    X, y, params = make_problem(2)
    grads = core_grads(X, y, params)
    doubled = lambda X, y, params: (2 * forward_loss(X, y, params)[0], None)  # noqa: E731
    errors = grad_check(X, y, params, grads, forward_loss=doubled)
    # numeric = 2 * analytic everywhere: |2g - g| / (|2g| + |g|) = 1/3
    np.testing.assert_allclose(list(errors.values()), 1 / 3, rtol=1e-4)


@pytest.mark.parametrize("seed", range(5))
def test_grad_check_sampled_is_determined_by_its_seed(make_problem, seed):
    X, y, params = make_problem(seed)
    grads = core_grads(X, y, params)
    grads = {k: v * (1 + 1e-3 * np.arange(v.size).reshape(v.shape)) for k, v in grads.items()}
    a = grad_check_sampled(X, y, params, grads, k=3, seed=seed)
    b = grad_check_sampled(X, y, params, grads, k=3, seed=seed)
    assert a == b


def test_grad_check_sampled_with_k_above_the_size_checks_every_entry(make_problem):
    X, y, params = make_problem(3, N=4, D=2, H=3, C=2)
    grads = core_grads(X, y, params)
    full = grad_check(X, y, params, grads)
    sampled = grad_check_sampled(X, y, params, grads, k=1000)
    for name in full:
        np.testing.assert_allclose(sampled[name], full[name], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_numeric_grad_matches_the_derivative_of_a_quadratic(seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((4, 4))
    p = rng.standard_normal(4)
    numeric = numeric_grad(lambda: p @ A @ p, p)
    np.testing.assert_allclose(numeric, (A + A.T) @ p, rtol=1e-8, atol=1e-10)


def test_numeric_grad_fills_only_the_requested_indices():
    p = np.arange(6.0).reshape(2, 3)
    grad = numeric_grad(lambda: np.sum(p**2), p, indices=[(0, 1), (1, 2)])
    expected = np.zeros((2, 3))
    expected[0, 1], expected[1, 2] = 2 * p[0, 1], 2 * p[1, 2]
    np.testing.assert_allclose(grad, expected, rtol=1e-8, atol=1e-10)


def test_rel_error_is_the_worst_entrywise_relative_error():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0, 1.0], [1.0, 3.0]) == pytest.approx(0.5)
    assert rel_error(2.0, 2.002) == pytest.approx(0.002 / 4.002)
    assert rel_error(0.0, 0.0) == 0.0
    assert rel_error(1e-9, 0.0) == pytest.approx(0.1)  # the 1e-8 floor keeps tiny values tame


def test_grad_check_passes_on_the_correct_backward_with_a_confidently_wrong_example():
    X = np.array([[21.0, 1.0, 1.0], [1.0, 2.0, 1.0]])  # the logits of example 0 favour class 0 by 20
    eye = np.eye(3)
    params = {"W1": eye.copy(), "b1": np.zeros(3), "W2": eye.copy(), "b2": np.zeros(3)}
    y = np.array([1, 1])
    errors = grad_check(X, y, params, core_grads(X, y, params))
    assert max(errors.values()) < PASS, errors


@pytest.mark.parametrize("check", [grad_check, grad_check_sampled])
def test_grad_check_refuses_a_gradient_of_the_wrong_shape(check):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 4)), np.array([0, 1, 2, 2, 1])
    params = init_params(4, 6, 3, seed=1)
    _, cache = forward_loss(X, y, params)
    grads = backward(cache, params)
    grads["b1"] = grads["b1"][None, :]  # keepdims=True: broadcasting would hide it
    with pytest.raises(ValueError, match=r'grads\["b1"\] must have shape \(6,\) like params\["b1"\], got shape \(1, 6\)'):
        check(X, y, params, grads)
