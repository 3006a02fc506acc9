"""core/family.py: every member of the net family is right by central differences, stable, and validated."""
import copy
import dataclasses

import numpy as np
import pytest

import core
from core import family
from core.family import MEMBERS, Net, conventions_for, parse_net

SPECS = [dataclasses.replace(net, convention=c) for net in MEMBERS for c in conventions_for(net.head)]


def loss_fn(net):
    return lambda X, y, params: family.forward_loss(X, y, params, net)


def grads_of(net, X, y, params):
    loss, cache = family.forward_loss(X, y, params, net)
    return loss, family.backward(cache, params, net)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("net", SPECS, ids=str)
def test_every_member_and_convention_passes_the_central_difference_check(make_member_problem, net, seed):
    X, y, params = make_member_problem(seed, net)
    _, grads = grads_of(net, X, y, params)
    errors = core.grad_check(X, y, params, grads, forward_loss=loss_fn(net))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("alpha", [0.0, 0.05, 0.3])
def test_leaky_relu_with_any_slope_passes_the_check_and_scales_negative_units(make_member_problem, alpha):
    net = Net("leaky_relu", "softmax_ce", alpha)
    X, y, params = make_member_problem(7, net)
    _, grads = grads_of(net, X, y, params)
    assert max(core.grad_check(X, y, params, grads, forward_loss=loss_fn(net)).values()) < 1e-6
    _, cache = family.forward_loss(X, y, params, net)
    Z1 = cache["Z1"]
    np.testing.assert_array_equal(cache["A1"][Z1 < 0], alpha * Z1[Z1 < 0])


@pytest.mark.parametrize("seed", range(5))
def test_relu_softmax_member_equals_core_net_to_1e_12(make_problem, seed):
    X, y, params = make_problem(seed)
    want_loss, cache = core.forward_loss(X, y, params)
    want = core.backward(cache, params)
    loss, got = grads_of(Net(), X, y, params)
    np.testing.assert_allclose(loss, want_loss, rtol=1e-12)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-10, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("convention, factor", [("sum", 6), ("mean_nc", 1 / 3), ("half_mean", 1 / 2),
                                                ("half_sum", 3), ("half_mean_nc", 1 / 6)])
def test_a_convention_scales_the_mean_loss_and_every_gradient_by_one_factor(make_member_problem, convention, factor):
    mean, other = Net("tanh", "sigmoid_mse"), Net("tanh", "sigmoid_mse", convention=convention)
    X, y, params = make_member_problem(2, mean, N=6, C=3)
    loss, grads = grads_of(mean, X, y, params)
    loss2, grads2 = grads_of(other, X, y, params)
    np.testing.assert_allclose(loss2, factor * loss, rtol=1e-12)
    for name in grads:
        np.testing.assert_allclose(grads2[name], factor * grads[name], rtol=1e-12, err_msg=name)


def test_each_head_computes_its_formula(make_member_problem):
    rng = np.random.default_rng(0)
    Z2, y = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(family.softmax_ce(Z2, y), -np.log(P[np.arange(4), y]).sum(), rtol=1e-12)
    S, Y = 1 / (1 + np.exp(-Z2)), np.eye(3)[y]
    np.testing.assert_allclose(family.sigmoid_mse(Z2, y), ((S - Y) ** 2).sum(), rtol=1e-12)
    z, b = Z2[:, :1], np.array([1, 0, 0, 1])
    s = 1 / (1 + np.exp(-z[:, 0]))
    np.testing.assert_allclose(family.sigmoid_bce(z, b), -(b * np.log(s) + (1 - b) * np.log(1 - s)).sum(), rtol=1e-12)


@pytest.mark.parametrize("head", list(family.HEADS))
@pytest.mark.parametrize("sign", [1, -1])
def test_saturated_logits_give_a_finite_loss_and_gradient(head, sign):
    net = Net("tanh", head)
    C = 1 if net.binary else 3
    Z2 = np.full((4, C), sign * 1000.0)
    Z2[:, 0] = -sign * 1000.0
    y = np.array([0, 1, 0, 1])
    loss, grad = family.HEADS[head][0](Z2, y), family.HEADS[head][1](Z2, y)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    if head == "sigmoid_bce" and sign == 1:  # z = -1000 for y = 1: -log s(z) = 1000 each
        assert loss == pytest.approx(2000.0)


@pytest.mark.parametrize("act", list(family.ACTIVATIONS))
def test_each_activation_derivative_matches_a_central_difference_of_its_function(act):
    rng = np.random.default_rng(1)
    Z = rng.uniform(0.1, 3, 50) * rng.choice([-1, 1], 50)
    f, f_grad = family.ACTIVATIONS[act]
    h = 1e-6
    numeric = (f(Z + h, 0.1) - f(Z - h, 0.1)) / (2 * h)
    np.testing.assert_allclose(f_grad(Z, 0.1), numeric, rtol=1e-7, atol=1e-9)


def test_sigmoid_has_no_overflow_and_full_precision_at_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = family.sigmoid(np.array([-800.0, -30.0, 0.0, 30.0, 800.0]))
    np.testing.assert_allclose(s[:3], [np.exp(-800.0), np.exp(-30) / (1 + np.exp(-30)), 0.5], rtol=1e-12)
    assert s[4] == 1.0


@pytest.mark.parametrize("net", MEMBERS, ids=str)
def test_backward_modifies_neither_cache_nor_params(make_member_problem, net):
    X, y, params = make_member_problem(3, net)
    _, cache = family.forward_loss(X, y, params, net)
    cache_before, params_before = copy.deepcopy(cache), copy.deepcopy(params)
    first = family.backward(cache, params, net)
    second = family.backward(cache, params, net)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])
        np.testing.assert_array_equal(params[name], params_before[name])
        assert first[name].shape == params[name].shape
    for key in cache:
        np.testing.assert_array_equal(cache[key], cache_before[key])


def test_member_object_is_a_subject_with_the_two_functions(make_member_problem):
    net = parse_net("sigmoid,sigmoid_bce")
    X, y, params = make_member_problem(4, net)
    subject = family.member("sigmoid,sigmoid_bce")
    loss, cache = subject.forward_loss(X, y, params)
    assert loss == family.forward_loss(X, y, params, net)[0]
    assert subject.backward(cache, params).keys() == params.keys()


# -- the spec: "ACT,HEAD[,CONVENTION]" --------------------------------------------------------

@pytest.mark.parametrize("spec", ["relu,softmax_ce", "tanh,sigmoid_bce", "leaky_relu:0.2,sigmoid_mse,half_sum",
                                  "sigmoid,softmax_ce,mean_nc", "tanh,sigmoid_bce,sum"])
def test_spec_round_trips_through_parse_and_str(spec):
    assert str(parse_net(spec)) == spec and parse_net(parse_net(spec)) == parse_net(spec)


def test_default_spec_is_relu_softmax_mean_and_leaky_default_slope_is_omitted():
    assert parse_net("relu,softmax_ce") == Net() and str(Net()) == family.NET
    assert str(parse_net("leaky_relu:0.01,softmax_ce")) == "leaky_relu,softmax_ce"
    assert parse_net(" tanh , sigmoid_mse ").member == "tanh,sigmoid_mse"


@pytest.mark.parametrize("spec, message", [
    ("tanh", "net must be ACT,HEAD"), ("tanh,softmax", "HEAD one of softmax_ce, sigmoid_bce, sigmoid_mse"),
    ("elu,softmax_ce", "ACT one of relu, leaky_relu, sigmoid, tanh"), ("relu,softmax_ce,half_mean", "half_*"),
    ("relu,sigmoid_bce,mean_nc", "mean_nc not with sigmoid_bce"), ("tanh:0.1,softmax_ce", "only leaky_relu takes"),
    ("leaky_relu:x,softmax_ce", "slope must be a number in [0, 1), got 'x'"),
    ("leaky_relu:1.5,softmax_ce", "got '1.5'"), ("a,b,c,d", "got 'a,b,c,d'"),
])
def test_bad_spec_is_a_value_error_naming_what_was_expected(spec, message):
    with pytest.raises(ValueError) as info:
        parse_net(spec)
    assert message in str(info.value)


@pytest.mark.parametrize("spec, words", [
    ("tanh,softmax_ce", "tanh hidden layer, softmax + cross-entropy"),
    ("leaky_relu:0.1,sigmoid_bce", "leaky ReLU (slope 0.1) hidden layer, sigmoid + binary cross-entropy"),
    ("relu,sigmoid_mse,half_sum", "ReLU hidden layer, sigmoid + squared error, a factor 1/2, sum over the batch"),
])
def test_describe_says_the_member_in_words(spec, words):
    assert parse_net(spec).describe() == words


# -- validation per head -------------------------------------------------------------------------

def test_binary_head_refuses_more_than_one_output_unit(make_member_problem):
    X, y, params = make_member_problem(0, Net("relu", "softmax_ce"), C=2)
    with pytest.raises(ValueError, match=r'a binary head has one output unit: params\["W2"\] must have shape \(7, 1\)'):
        family.forward_loss(X, y, params, "relu,sigmoid_bce")


@pytest.mark.parametrize("y, message", [
    (np.array([0, 1, 2, 0, 1, 0]), "binary labels 0 or 1, got 2 at index 2"),
    (np.array([[0], [1], [0], [1], [0], [1]]), r"y must have shape \(N,\) = \(6,\)"),
    (np.array([0.0, 1.0, 0.5, 0, 1, 0]), "got 0.5 at index 2"),
    (np.array(["a"] * 6), "got dtype <U1"),
])
def test_binary_head_refuses_labels_outside_0_1(make_member_problem, y, message):
    X, _, params = make_member_problem(0, Net("relu", "sigmoid_bce"))
    with pytest.raises(ValueError, match=message):
        family.forward_loss(X, y, params, "relu,sigmoid_bce")


def test_binary_head_accepts_bool_and_float_labels(make_member_problem):
    net = Net("relu", "sigmoid_bce")
    X, y, params = make_member_problem(0, net)
    want = family.forward_loss(X, y, params, net)[0]
    assert family.forward_loss(X, y.astype(bool), params, net)[0] == want
    assert family.forward_loss(X, y.astype(float), params, net)[0] == want


def test_multiclass_heads_refuse_labels_out_of_range(make_member_problem):
    X, y, params = make_member_problem(0, Net("tanh", "sigmoid_mse"))
    y[0] = 3
    with pytest.raises(ValueError, match=r"labels in \[0, C\) = \[0, 3\), got 3 at index 0"):
        family.forward_loss(X, y, params, "tanh,sigmoid_mse")
