"""Member faults: each applies once to its member's source, and each mutant behaves as its symptom says."""
import functools

import numpy as np
import pytest

import bugs
from bugs import Kind
from bugs.family_catalog import MEMBER_FAULTS
from bugs.mutant import FaultDoesNotApply, function_source, member_source, source_for
from core import family
from core.family import parse_net

NON_EQUIVALENT = [f for f in MEMBER_FAULTS if f.kind is not Kind.EQUIVALENT]
EQUIVALENT = [f for f in MEMBER_FAULTS if f.kind is Kind.EQUIVALENT]
REAL_ONES = {"tanh_grad_at_activation", "sigmoid_grad_on_relu", "ce_grad_no_softmax", "softmax_jacobian_diagonal",
             "db1_scalar", "sigmoid_grad_of_z", "bce_no_one_minus_y"}


@functools.cache
def mutant(fault_id):
    return bugs.make_mutant(bugs.get(fault_id))


def outputs(forward_loss, backward, X, y, params):
    loss, cache = forward_loss(X, y, params)
    return loss, backward(cache, params)


def test_the_catalog_holds_at_least_8_member_faults_and_2_equivalents_including_the_real_ones():
    assert len(NON_EQUIVALENT) >= 8 and len(EQUIVALENT) >= 2
    assert REAL_ONES <= {f.id for f in NON_EQUIVALENT}
    assert all(bugs.CATALOG[f.id] is f for f in MEMBER_FAULTS)
    assert list(bugs.FAULTS[-len(MEMBER_FAULTS):]) == list(MEMBER_FAULTS)  # appended after core/net.py's


def test_every_member_fault_names_a_member_and_every_head_and_activation_has_one():
    nets = [parse_net(f.net) for f in MEMBER_FAULTS]
    assert all(str(net) == f.net for net, f in zip(nets, MEMBER_FAULTS))
    assert {n.act for n in nets} == set(family.ACTIVATIONS) and {n.head for n in nets} == set(family.HEADS)


def test_core_net_faults_default_to_the_relu_softmax_member():
    assert bugs.get("missing_div_n").net == "relu,softmax_ce" and bugs.get("missing_div_n").source == "core.net"


@pytest.mark.parametrize("fault", MEMBER_FAULTS, ids=lambda f: f.id)
def test_member_fault_applies_exactly_once_to_its_members_source(fault):
    source = member_source(fault.net)
    assert source_for(fault) == source and f'NET = "{fault.net}"' in source
    assert function_source(source, fault.function).count(fault.find) == 1
    mutated = bugs.apply(fault)
    assert fault.replace in function_source(mutated, fault.function)
    module = mutant(fault.id)
    assert module.NET == fault.net and module.fault is fault


@pytest.mark.parametrize("fault", MEMBER_FAULTS, ids=lambda f: f.id)
def test_member_faults_changed_lines_carry_no_comment(fault):
    lines = function_source(bugs.apply(fault), fault.function).splitlines()
    assert all("#" not in lines[n - 1] for n in bugs.changed_lines(fault))


def test_member_source_refuses_an_unknown_member():
    with pytest.raises(ValueError, match="net must be ACT,HEAD"):
        member_source("relu,softmax")


def test_faults_of_different_members_cannot_be_combined():
    with pytest.raises(FaultDoesNotApply, match="cannot be combined"):
        bugs.make_mutant(bugs.get("tanh_grad_at_activation"), bugs.get("db1_scalar"))
    with pytest.raises(FaultDoesNotApply, match="cannot be combined"):
        bugs.make_mutant(bugs.get("sigmoid_grad_on_relu"), bugs.get("missing_div_n"))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("fault", NON_EQUIVALENT, ids=lambda f: f.id)
def test_non_equivalent_member_mutant_differs_from_its_member(make_member_problem, fault, seed):
    net = parse_net(fault.net)
    X, y, params = make_member_problem(seed, net)
    m = mutant(fault.id)
    loss, grads = outputs(m.forward_loss, m.backward, X, y, params)
    ref = family.member(net)
    want_loss, want = outputs(ref.forward_loss, ref.backward, X, y, params)
    diffs = [abs(loss - want_loss)] + [np.max(np.abs(np.asarray(grads[k]) - want[k])) if np.shape(grads[k]) ==
                                       want[k].shape else np.inf for k in want]
    assert max(diffs) > 1e-4


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("fault", EQUIVALENT, ids=lambda f: f.id)
def test_equivalent_member_mutant_agrees_with_its_member_to_1e_12(make_member_problem, fault, seed):
    net = parse_net(fault.net)
    X, y, params = make_member_problem(seed, net)
    m, ref = mutant(fault.id), family.member(net)
    loss, grads = outputs(m.forward_loss, m.backward, X, y, params)
    want_loss, want = outputs(ref.forward_loss, ref.backward, X, y, params)
    np.testing.assert_allclose(loss, want_loss, rtol=1e-12)
    for name in want:
        assert grads[name].shape == want[name].shape
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-10, atol=1e-14, err_msg=name)


# -- what the symptoms say -------------------------------------------------------------------------

def member_run(fault_id, make_member_problem, seed=0):
    fault = bugs.get(fault_id)
    net = parse_net(fault.net)
    X, y, params = make_member_problem(seed, net)
    m = mutant(fault_id)
    loss, cache = m.forward_loss(X, y, params)
    ref_loss, ref_cache = family.forward_loss(X, y, params, net)
    return net, X, y, params, (loss, cache, m.backward(cache, params)), (ref_loss, family.backward(ref_cache, params, net))


def test_tanh_grad_at_activation_applies_tanh_twice(make_member_problem):
    net, X, y, params, (_, cache, got), (_, want) = member_run("tanh_grad_at_activation", make_member_problem)
    np.testing.assert_allclose(got["W2"], want["W2"], rtol=1e-12)
    dZ2 = (family.softmax_ce_grad(cache["Z2"], y)) / len(y)
    dZ1 = (dZ2 @ params["W2"].T) * (1 - np.tanh(np.tanh(cache["Z1"])) ** 2)
    np.testing.assert_allclose(got["W1"], X.T @ dZ1, rtol=1e-10)


def test_sigmoid_grad_on_relu_gives_dead_units_nothing_and_live_ones_z_1_minus_z(make_member_problem):
    net, X, y, params, (_, cache, got), _ = member_run("sigmoid_grad_on_relu", make_member_problem)
    dA1 = family.softmax_ce_grad(cache["Z2"], y) / len(y) @ params["W2"].T
    A1 = cache["A1"]
    np.testing.assert_allclose(got["b1"], (dA1 * A1 * (1 - A1)).sum(axis=0), rtol=1e-10)


def test_ce_grad_no_softmax_rows_of_dz2_no_longer_sum_to_zero(make_member_problem):
    _, _, y, _, (_, cache, got), (_, want) = member_run("ce_grad_no_softmax", make_member_problem)
    np.testing.assert_allclose(want["b2"].sum(), 0, atol=1e-12)  # sum_c (P - Y) = 0 in every row
    np.testing.assert_allclose(got["b2"], (cache["Z2"] - np.eye(3)[y]).sum(axis=0) / len(y), rtol=1e-10)


def test_softmax_jacobian_diagonal_is_zero_off_the_true_class(make_member_problem):
    _, _, y, _, (_, cache, got), _ = member_run("softmax_jacobian_diagonal", make_member_problem)
    P = np.exp(family.log_softmax(cache["Z2"]))
    Y = np.eye(3)[y]
    np.testing.assert_allclose(got["b2"], (-Y * (1 - P)).sum(axis=0) / len(y), rtol=1e-10)


@pytest.mark.parametrize("fault_id, key", [("db1_scalar", "b1"), ("db2_scalar", "b2")])
def test_a_scalar_bias_gradient_has_shape_empty_and_the_summed_value(make_member_problem, fault_id, key):
    _, _, _, _, (_, _, got), (_, want) = member_run(fault_id, make_member_problem)
    assert np.shape(got[key]) == ()
    np.testing.assert_allclose(got[key], want[key].sum(), rtol=1e-12)


def test_bce_no_one_minus_y_loss_ignores_the_zero_labels(make_member_problem):
    _, _, y, _, (loss, cache, _), _ = member_run("bce_no_one_minus_y", make_member_problem)
    s = family.sigmoid(cache["Z2"][:, 0])
    np.testing.assert_allclose(loss, -np.mean(y * np.log(s)), rtol=1e-12)


def test_sigmoid_grad_of_z_uses_z_1_minus_z(make_member_problem):
    m = mutant("sigmoid_grad_of_z")
    Z = np.array([-2.0, 0.5, 3.0])
    np.testing.assert_array_equal(m.sigmoid_grad(Z, None), Z * (1 - Z))


def test_relu_grad_on_leaky_relu_drops_the_negative_slope():
    m = mutant("relu_grad_on_leaky_relu")
    np.testing.assert_array_equal(m.leaky_relu_grad(np.array([-1.0, 2.0]), 0.1), [0.0, 1.0])


def test_mse_grad_no_sigmoid_misses_the_factor_s_1_minus_s(make_member_problem):
    _, _, y, _, (_, cache, got), _ = member_run("mse_grad_no_sigmoid", make_member_problem)
    S = family.sigmoid(cache["Z2"])
    np.testing.assert_allclose(got["b2"], (2 * (S - np.eye(3)[y])).sum(axis=0) / len(y), rtol=1e-10)


def test_the_same_text_is_a_fault_on_relu_and_equivalent_on_sigmoid():
    a, b = bugs.get("sigmoid_grad_on_relu"), bugs.get("sigmoid_grad_from_a1")
    assert (a.find, a.replace) == (b.find, b.replace) and a.net != b.net
    assert (a.kind, b.kind) == (Kind.EXTENDED, Kind.EQUIVALENT)
