"""The fault catalog: every record applies to the core, and every mutant behaves as its symptom says."""
import copy
import dataclasses
import functools
import inspect

import numpy as np
import pytest

import bugs
import core
import core.net
from bugs import CATALOG, FAULTS, FaultDoesNotApply, Kind
from bugs.mutant import core_source, function_source, source_label

CHECKLIST = {
    "missing_div_n": 1,
    "no_copy": 2,
    "labels_n1": 3,
    "bad_relu_mask": 4,
    "unstable_softmax": 5,
    "float32": 6,
    "update_before_check": 7,
}
# the faults made in core/net.py; member faults (core/family.py) are tested in test_family_catalog.py
NET_FAULTS = [f for f in FAULTS if f.source == "core.net"]
NON_EQUIVALENT = [f.id for f in NET_FAULTS if f.kind is not Kind.EQUIVALENT]
EQUIVALENT = [f.id for f in NET_FAULTS if f.kind is Kind.EQUIVALENT]
# their gradients have the wrong shape, so `params -= lr * grads` cannot run
SHAPE_FAULTS = {"dW2_transposed", "db2_wrong_axis", "db1_keepdims"}
SEEDS = range(8)
PASS, FAIL = 1e-5, 1e-4  # grad_check thresholds, measured in test_gradcheck.py


@functools.cache
def mutant(fault_id):
    return bugs.make_mutant(bugs.get(fault_id))


def run(module, X, y, params):
    """(loss, cache, grads, params after backward) of a module on a copy of params."""
    params = copy.deepcopy(params)
    loss, cache = module.forward_loss(X, y, params)
    grads = module.backward(cache, params)
    return loss, cache, grads, params


def onehot(y, C):
    return np.eye(C)[y]


def dA1_of(X, y, params):
    """dL/dA1 from the core: the gradient before the ReLU mask."""
    _, cache = core.forward_loss(X, y, params)
    dZ2 = (cache["P"] - onehot(y, params["b2"].size)) / len(y)
    return dZ2 @ params["W2"].T, cache["Z1"]


def assert_grads_equal(got, want, names, exact=True):
    for name in names:
        if exact:
            np.testing.assert_array_equal(got[name], want[name], err_msg=name)
        else:
            np.testing.assert_allclose(got[name], want[name], rtol=1e-12, atol=1e-15, err_msg=name)


def assert_differs(got, want, name):
    assert got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9), f"{name} equals the core's"


# -- the records --------------------------------------------------------------------------


def test_checklist_is_exactly_the_seven_faults_with_their_item_numbers():
    assert {f.id: f.checklist_item for f in bugs.by_kind(Kind.CHECKLIST)} == CHECKLIST
    assert [f.id for f in bugs.by_kind(Kind.CHECKLIST)] == list(CHECKLIST)  # in checklist order


def test_catalog_has_at_least_8_extended_and_2_equivalent_faults():
    assert len(bugs.by_kind(Kind.EXTENDED)) >= 8
    assert len(bugs.by_kind(Kind.EQUIVALENT)) >= 2
    assert len(FAULTS) == sum(len(bugs.by_kind(kind)) for kind in Kind)


def test_fault_ids_are_unique_and_index_the_catalog():
    ids = [f.id for f in FAULTS]
    assert len(set(ids)) == len(ids)
    assert list(CATALOG) == ids and all(CATALOG[f.id] is f for f in FAULTS)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.id)
def test_every_record_is_complete(fault):
    assert fault.title.strip() and fault.symptom.strip() and fault.fix.strip()
    assert fault.function in ("forward_loss", "backward") or fault.source == "core.family"
    assert fault.find and fault.find != fault.replace
    if fault.kind is Kind.CHECKLIST:
        assert fault.checklist_item in range(1, 8)
    elif fault.source == "core.net":
        assert fault.checklist_item is None
    else:  # a member fault names the checklist family it belongs to, or None for `other`
        assert fault.checklist_item in (*range(1, 8), None)


def test_fault_record_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        FAULTS[0].find = "x"


def test_get_unknown_id_raises_key_error_listing_the_ids():
    with pytest.raises(KeyError, match="no fault 'nope'; expected one of: missing_div_n, no_copy"):
        bugs.get("nope")


def test_to_dict_holds_the_public_fields():
    fault = bugs.get("no_copy")
    assert fault.to_dict() == {
        "id": "no_copy",
        "kind": "checklist",
        "title": fault.title,
        "function": "backward",
        "symptom": fault.symptom,
        "fix": "dZ2 = P.copy()",
        "checklist_item": 2,
        "net": "relu,softmax_ce",
    }


# -- applying a record ----------------------------------------------------------------------


@pytest.mark.parametrize("fault", NET_FAULTS, ids=lambda f: f.id)
def test_every_record_applies_exactly_once_to_the_current_core(fault):
    source = core_source()
    assert function_source(source, fault.function).count(fault.find) == 1
    mutated = bugs.apply(fault)
    assert mutated != source
    assert fault.replace in function_source(mutated, fault.function)
    other = {"forward_loss": "backward", "backward": "forward_loss"}[fault.function]
    assert function_source(mutated, other) == function_source(source, other)
    module = mutant(fault.id)
    assert module.fault is fault
    assert all(callable(getattr(module, name)) for name in ("forward_loss", "backward", "train_step"))


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.id)
def test_record_whose_text_is_absent_does_not_apply(fault):
    with pytest.raises(FaultDoesNotApply, match="occurs 0 times"):
        bugs.apply(dataclasses.replace(fault, find=fault.find + "  # no longer in the core"))


@pytest.mark.parametrize("text", ["dZ1", "params", "N"])
def test_record_whose_text_occurs_several_times_does_not_apply(text):
    count = function_source(core_source(), "backward").count(text)
    assert count >= 2
    fault = dataclasses.replace(bugs.get("bad_relu_mask"), find=text)
    with pytest.raises(FaultDoesNotApply, match=f"occurs {count} times in backward"):
        bugs.apply(fault)


def test_record_applies_only_inside_its_own_function():
    loss_line = bugs.get("log_no_eps").find  # a line of forward_loss
    with pytest.raises(FaultDoesNotApply, match="occurs 0 times in backward"):
        bugs.apply(dataclasses.replace(bugs.get("log_no_eps"), function="backward", find=loss_line))


def test_record_naming_an_unknown_function_does_not_apply():
    with pytest.raises(FaultDoesNotApply, match="no function 'softmax'"):
        bugs.apply(dataclasses.replace(bugs.get("no_copy"), function="softmax"))


def test_fault_does_not_apply_is_a_value_error():
    assert issubclass(FaultDoesNotApply, ValueError)


def test_making_mutants_leaves_the_core_untouched():
    source, backward = inspect.getsource(core.net), core.net.backward
    for fault in FAULTS:
        bugs.make_mutant(fault)
    assert inspect.getsource(core.net) == source
    assert core.net.backward is backward and core.backward is backward


# -- each non-equivalent mutant behaves as its symptom says ----------------------------------
# check(m, X, y, params): m is the mutant module; the core is the oracle (test_gradcheck.py).


def check_missing_div_n(m, X, y, params):
    N = len(y)
    _, _, want, _ = run(core.net, X, y, params)
    loss, _, got, _ = run(m, X, y, params)
    for name in want:
        np.testing.assert_allclose(got[name], N * want[name], rtol=1e-12, atol=1e-15, err_msg=name)
    # the symptom's number: |Ng - g| / (|Ng| + |g|)
    errors = core.grad_check(X, y, copy.deepcopy(params), got)
    np.testing.assert_allclose(list(errors.values()), (N - 1) / (N + 1), rtol=1e-4)


def check_no_copy(m, X, y, params):
    N, C = len(y), params["b2"].size
    _, _, want, _ = run(core.net, X, y, params)
    _, cache = m.forward_loss(X, y, params)
    P = cache["P"].copy()
    first = m.backward(cache, params)
    assert_grads_equal(first, want, want)
    assert not np.array_equal(cache["P"], P)
    np.testing.assert_allclose(cache["P"], (P - onehot(y, C)) / N, rtol=1e-12, atol=1e-15)
    second = m.backward(cache, params)
    assert_differs(second["b2"], first["b2"], "b2 of the second backward")


def check_labels_n1(m, X, y, params):
    N, C = len(y), params["b2"].size
    assert len(set(y.tolist())) >= 2  # probe precondition
    loss_core, cache_core, _, _ = run(core.net, X, y, params)
    loss, cache, got, _ = run(m, X, y, params)
    P = cache_core["P"]
    assert abs(loss - loss_core) > 1e-6
    np.testing.assert_allclose(loss, -np.mean(np.log(P[:, y])), rtol=1e-9)  # every row vs every label
    present = np.isin(np.arange(C), y)
    dZ2 = (P - present) / N  # each row gets -1/N at every class present in y
    np.testing.assert_allclose(got["b2"], dZ2.sum(axis=0), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(got["W2"], cache["A1"].T @ dZ2, rtol=1e-9, atol=1e-15)


def check_bad_relu_mask(m, X, y, params):
    dA1, Z1 = dA1_of(X, y, params)
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert_grads_equal(got, want, ["W2", "b2"])
    dZ1 = dA1 * (dA1 > 0)  # masked by the gradient's sign, not by Z1's
    np.testing.assert_allclose(got["W1"], X.T @ dZ1, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(got["b1"], dZ1.sum(axis=0), rtol=1e-9, atol=1e-15)
    if np.any((dA1 > 0) != (Z1 > 0)):  # on a few tiny probes the two masks happen to agree
        assert_differs(got["b1"], want["b1"], "b1")


def check_unstable_softmax(m, X, y, params):
    loss_core, _, want, _ = run(core.net, X, y, params)
    loss, _, got, _ = run(m, X, y, params)
    np.testing.assert_allclose(loss, loss_core, rtol=1e-12)  # fine at small logits
    assert_grads_equal(got, want, want, exact=False)
    big = dict(params, b2=params["b2"] + 1000.0)
    with np.errstate(over="ignore", invalid="ignore"):
        loss_big = m.forward_loss(X, y, big)[0]
    assert not np.isfinite(loss_big)
    assert np.isfinite(core.forward_loss(X, y, big)[0])


def check_float32(m, X, y, params):
    loss_core, _, _, _ = run(core.net, X, y, params)
    loss, _, got, _ = run(m, X, y, params)
    assert loss.dtype == np.float32 and loss_core.dtype == np.float64
    np.testing.assert_allclose(loss, loss_core, rtol=1e-5)
    # finite differences at h = 1e-5 drown in float32 rounding
    errors = core.grad_check(X, y, copy.deepcopy(params), got, forward_loss=m.forward_loss)
    assert max(errors.values()) > FAIL, errors


def check_update_before_check(m, X, y, params):
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, after = run(m, X, y, params)
    assert_grads_equal(got, want, want)
    for name in params:
        assert not np.array_equal(after[name], params[name]), name
        np.testing.assert_array_equal(after[name], params[name] - 0.1 * got[name], err_msg=name)


def check_dW2_transposed(m, X, y, params):
    H, C = params["W2"].shape
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert got["W2"].shape == (C, H)
    np.testing.assert_allclose(got["W2"], want["W2"].T, rtol=1e-12, atol=1e-15)
    assert_grads_equal(got, want, ["W1", "b1", "b2"])


def check_db2_wrong_axis(m, X, y, params):
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert got["b2"].shape == (len(y),)
    np.testing.assert_allclose(got["b2"], 0, atol=1e-15)  # rows of dZ2 sum to 0
    assert_grads_equal(got, want, ["W1", "b1", "W2"])


def check_db1_keepdims(m, X, y, params):
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert got["b1"].shape == (1, params["b1"].size)
    np.testing.assert_array_equal(got["b1"][0], want["b1"])
    assert_grads_equal(got, want, ["W1", "W2", "b2"])


def check_db2_zero(m, X, y, params):
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert got["b2"].shape == want["b2"].shape and not got["b2"].any()
    assert want["b2"].any()
    assert_grads_equal(got, want, ["W1", "b1", "W2"])


def check_sign_flipped(m, X, y, params):
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    for name in want:
        np.testing.assert_allclose(got[name], -want[name], rtol=1e-12, atol=1e-15, err_msg=name)
    errors = core.grad_check(X, y, copy.deepcopy(params), got)
    np.testing.assert_allclose(list(errors.values()), 1.0, rtol=1e-6)


def check_double_div_n(m, X, y, params):
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    np.testing.assert_allclose(got["W2"], want["W2"] / len(y), rtol=1e-12, atol=1e-15)
    assert_grads_equal(got, want, ["W1", "b1", "b2"])


def check_loss_summed(m, X, y, params):
    N = len(y)
    loss_core, _, want, _ = run(core.net, X, y, params)
    loss, _, got, _ = run(m, X, y, params)
    np.testing.assert_allclose(loss, N * loss_core, rtol=1e-12)
    assert_grads_equal(got, want, want)
    # the numeric gradient of the summed loss is N times the (averaged) analytic one
    errors = core.grad_check(X, y, copy.deepcopy(params), got, forward_loss=m.forward_loss)
    np.testing.assert_allclose(list(errors.values()), (N - 1) / (N + 1), rtol=1e-4)


def check_mask_no_bias(m, X, y, params):
    S = X @ params["W1"]  # the pre-activation without the bias
    # zero biases (the usual init): the mask is right
    zero_b1 = dict(params, b1=np.zeros_like(params["b1"]))
    assert_grads_equal(run(m, X, y, zero_b1)[2], run(core.net, X, y, zero_b1)[2], zero_b1)
    # nonzero biases too small to flip any sign: still right
    rng = np.random.default_rng(0)
    small_b1 = dict(params, b1=0.5 * np.abs(S).min(axis=0) * rng.choice([-1.0, 1.0], S.shape[1]))
    assert np.all((S > 0) == (S + small_b1["b1"] > 0))
    assert_grads_equal(run(m, X, y, small_b1)[2], run(core.net, X, y, small_b1)[2], small_b1)
    # a bias that flips the sign of every unit on example 0: W1 and b1 go wrong, W2 and b2 stay right
    flip_b1 = dict(params, b1=-2.0 * S[0])
    assert np.all((S[0] > 0) != (S[0] + flip_b1["b1"] > 0))
    got, want = run(m, X, y, flip_b1)[2], run(core.net, X, y, flip_b1)[2]
    assert_grads_equal(got, want, ["W2", "b2"])
    assert_differs(got["W1"], want["W1"], "W1")
    assert_differs(got["b1"], want["b1"], "b1")


def check_relu_no_mask(m, X, y, params):
    dA1, Z1 = dA1_of(X, y, params)
    assert np.any(Z1 < 0)  # probe precondition: some unit is off somewhere
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert_grads_equal(got, want, ["W2", "b2"])
    np.testing.assert_allclose(got["b1"], dA1.sum(axis=0), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(got["W1"], X.T @ dA1, rtol=1e-9, atol=1e-15)
    assert_differs(got["b1"], want["b1"], "b1")
    # with every unit on, there is nothing to mask
    alive = dict(params, b1=1.0 - (X @ params["W1"]).min(axis=0))
    assert_grads_equal(run(m, X, y, alive)[2], run(core.net, X, y, alive)[2], alive, exact=False)


def check_db1_before_mask(m, X, y, params):
    dA1, Z1 = dA1_of(X, y, params)
    assert np.any(Z1 < 0)
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert_grads_equal(got, want, ["W1", "W2", "b2"])
    np.testing.assert_allclose(got["b1"], dA1.sum(axis=0), rtol=1e-9, atol=1e-15)
    assert_differs(got["b1"], want["b1"], "b1")


def check_dW2_uses_Z1(m, X, y, params):
    _, cache = core.forward_loss(X, y, params)
    assert np.any(cache["Z1"] < 0)
    _, _, want, _ = run(core.net, X, y, params)
    _, _, got, _ = run(m, X, y, params)
    assert_grads_equal(got, want, ["W1", "b1", "b2"])
    assert_differs(got["W2"], want["W2"], "W2")
    errors = core.grad_check(X, y, copy.deepcopy(params), got)
    assert errors["W2"] > FAIL and max(errors[k] for k in ("W1", "b1", "b2")) < PASS, errors


def check_log_no_eps(m, X, y, params):
    loss_core, _, want, _ = run(core.net, X, y, params)
    loss, _, got, _ = run(m, X, y, params)
    np.testing.assert_allclose(loss, loss_core, rtol=1e-8)  # the probe keeps P[i, y_i] >= 1e-3
    assert_grads_equal(got, want, want)
    wrong = (y[0] + 1) % params["b2"].size
    confident = dict(params, b2=params["b2"] + 1000.0 * (np.arange(params["b2"].size) == wrong))
    with np.errstate(divide="ignore"):
        assert m.forward_loss(X, y, confident)[0] == np.inf
    assert np.isfinite(core.forward_loss(X, y, confident)[0])


BEHAVIOUR = {name.removeprefix("check_"): f for name, f in globals().items() if name.startswith("check_")}


def test_every_non_equivalent_fault_has_a_behaviour_check():
    assert sorted(BEHAVIOUR) == sorted(NON_EQUIVALENT)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fault_id", NON_EQUIVALENT)
def test_non_equivalent_mutant_behaves_as_its_symptom_says(make_problem, fault_id, seed):
    X, y, params = make_problem(seed, bias_scale=1.0, mixed_relu=True)
    assert np.all(params["b1"] != 0) and np.all(params["b2"] != 0)
    BEHAVIOUR[fault_id](mutant(fault_id), X, y, params)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("fault_id", EQUIVALENT)
def test_equivalent_mutant_agrees_with_the_core_to_1e_12(make_problem, fault_id, seed):
    X, y, params = make_problem(seed, bias_scale=1.0, mixed_relu=True)
    loss_core, _, want, _ = run(core.net, X, y, params)
    loss, _, got, after = run(mutant(fault_id), X, y, params)
    np.testing.assert_allclose(loss, loss_core, rtol=1e-12, atol=1e-12)
    for name in want:
        assert got[name].shape == want[name].shape
        np.testing.assert_allclose(got[name], want[name], rtol=1e-12, atol=1e-12, err_msg=name)
        np.testing.assert_array_equal(after[name], params[name])


# -- a mutant's train_step runs the mutant's own forward and backward ------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("fault_id", [f.id for f in NET_FAULTS if f.id not in SHAPE_FAULTS])
def test_mutant_train_step_steps_with_the_mutants_own_gradients(make_problem, fault_id, seed):
    m = mutant(fault_id)
    X, y, params = make_problem(seed, mixed_relu=True)
    lr = 0.3
    want_loss, _, want, moved = run(m, X, y, params)  # `moved` differs only for update_before_check
    stepped = copy.deepcopy(params)
    loss, grads = m.train_step(X, y, stepped, lr=lr)
    assert loss == want_loss
    assert_grads_equal(grads, want, want)
    for name in params:
        np.testing.assert_array_equal(stepped[name], moved[name] - lr * grads[name], err_msg=name)


@pytest.mark.parametrize("seed", SEEDS)
def test_missing_div_n_train_step_moves_params_n_times_as_far_as_the_core(make_problem, seed):
    X, y, params = make_problem(seed)
    core_params, mutant_params = copy.deepcopy(params), copy.deepcopy(params)
    core.train_step(X, y, core_params, lr=1.0)
    mutant("missing_div_n").train_step(X, y, mutant_params, lr=1.0)
    for name in params:
        np.testing.assert_allclose(
            mutant_params[name] - params[name], len(y) * (core_params[name] - params[name]), rtol=1e-9, atol=1e-14
        )


@pytest.mark.parametrize("fault_id", sorted(SHAPE_FAULTS))
def test_gradient_of_the_wrong_shape_makes_train_step_raise(make_problem, fault_id):
    X, y, params = make_problem(0, N=6, D=4, H=8, C=3)  # N, H and C all differ
    with pytest.raises(ValueError):
        mutant(fault_id).train_step(X, y, params)


def test_update_before_check_makes_a_later_grad_check_fail(make_problem):
    X, y, params = make_problem(1, N=6, D=4, H=8, C=3)
    m = mutant("update_before_check")
    _, cache = m.forward_loss(X, y, params)
    grads = m.backward(cache, params)  # moves params
    assert max(core.grad_check(X, y, params, grads).values()) > FAIL


# -- show and diff ---------------------------------------------------------------------------


def new_and_old_lines(fault):
    """(lines only the replacement has, lines only the find text has), stripped."""
    new = {line.strip() for line in fault.replace.splitlines() if line.strip()}
    old = {line.strip() for line in fault.find.splitlines() if line.strip()}
    return new - old, old - new


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.id)
def test_diff_shows_the_replacement_on_plus_lines_and_the_find_text_on_minus_lines(fault):
    text = bugs.diff(fault)
    lines = text.splitlines()
    assert lines[0] == f"--- {source_label(fault)}" and lines[1] == f"+++ mutant {fault.id}"
    plus = [line for line in lines[2:] if line.startswith("+")]
    minus = [line for line in lines[2:] if line.startswith("-")]
    new, old = new_and_old_lines(fault)
    assert new or old
    for line in new:
        assert any(line in p for p in plus), line
    for line in old:
        assert any(line in m for m in minus), line
    if not fault.replace:
        assert not plus


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.id)
def test_show_marks_exactly_the_changed_lines(fault):
    text = bugs.show(fault)
    assert text.startswith(f"{fault.id} ({fault.kind.value}): {fault.title}\nin {fault.function}():\n")
    assert text.endswith(bugs.diff(fault))
    changed = bugs.changed_lines(fault)
    assert changed
    mutated = function_source(bugs.apply(fault), fault.function).splitlines()
    listing = [line for line in text.splitlines() if line[:2] in (">>", "  ") and line[2:7].strip().isdigit()]
    assert len(listing) == len(mutated)
    for i, (row, source_line) in enumerate(zip(listing, mutated), 1):
        assert row == f"{'>>' if i in changed else '  '} {i:3d}  {source_line}"
    marked = [mutated[i - 1] for i in changed]
    for line in new_and_old_lines(fault)[0]:
        assert any(line in row for row in marked), line


def test_no_copy_changed_line_is_the_dz2_assignment():
    mutated = function_source(bugs.apply(bugs.get("no_copy")), "backward").splitlines()
    assert bugs.changed_lines(bugs.get("no_copy")) == [mutated.index("    dZ2 = P") + 1]
    assert ">>   6      dZ2 = P\n" in bugs.show(bugs.get("no_copy"))


def test_removed_line_marks_the_line_now_in_its_place():
    fault = bugs.get("missing_div_n")
    core_lines = function_source(core_source(), "backward").splitlines()
    removed_at = next(i for i, line in enumerate(core_lines, 1) if "dZ2 /= N" in line)
    assert bugs.changed_lines(fault) == [removed_at]
    text = bugs.show(fault)
    assert "(>> marks where a line was removed)" in text
    assert f">> {removed_at:3d}  {core_lines[removed_at]}" in text  # the line after the removed one
