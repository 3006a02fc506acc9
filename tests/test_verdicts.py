"""Verdicts on code written outside this project: faults vs cautions, the right place to blame,
unusable output named, and every printed claim true of what was observed.

The subjects are hand-written (tests/handwritten.py and below), not mutants of core.
"""
import json
import pathlib

import numpy as np
import pytest
from click.testing import CliRunner

import core
from diagnose import diagnose
from diagnose.check.isolate import check_file, diagnose_subject
from diagnose.check.loader import load_subject
from diagnose.cli.main import main
from diagnose.engine.report import Report
from handwritten import CLASS_NET, LOSS_AND_GRADS, MISSING_DIV_N, SPLIT, module, variant

STYLES = {"loss_and_grads": LOSS_AND_GRADS, "class": CLASS_NET, "split": SPLIT}
FUNCTIONS = {  # (forward part, backward part) as the report names them in each style
    "split": ("forward_loss", "backward"),
    "loss_and_grads": ("the forward part of loss_and_grads", "the backward part of loss_and_grads"),
    "class": ("the forward part of TwoLayerNet.loss", "the backward part of TwoLayerNet.loss"),
}


def report_of(source, seed=0):
    """The report on a hand-written source, in-process (the class form gets its reg check too)."""
    return diagnose_subject(load_subject(module(source)), seed=seed)


def caution_ids(report):
    return [c.id for c in report.cautions]


# -- 1. cautions are not faults ---------------------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
def test_the_usual_log_without_epsilon_is_healthy_with_a_log_no_eps_caution(style):
    for seed in range(5):
        report = report_of(STYLES[style], seed)
        assert (report.verdict, report.faults, caution_ids(report)) == ("healthy", (), ["log_no_eps"])
        assert report.text().startswith("verdict: healthy (1 caution)\n")
        assert f"  log_no_eps (in {FUNCTIONS[style][0]}): compute log-softmax directly" in report.text()


@pytest.mark.parametrize("style", MISSING_DIV_N)
def test_a_missing_div_n_is_named_even_without_epsilon_in_the_log(style):
    source, find, replace = MISSING_DIV_N[style]
    report = report_of(variant(source, find, replace))
    assert report.verdict == "missing_div_n"
    assert caution_ids(report) == ["log_no_eps"]
    assert report.text().splitlines()[0] == ("verdict: missing_div_n — a wrong scale factor such as a missing /N "
                                             "(checklist 1); first failing stage: gradient check; 1 caution")


def test_caution_json_has_id_title_evidence_fix_and_survives_the_trip_from_the_child():
    report = report_of(SPLIT)
    doc = json.loads(json.dumps(report.to_dict()))
    (caution,) = doc["cautions"]
    assert set(caution) == {"id", "title", "evidence", "fix"} and caution["id"] == "log_no_eps"
    assert "gives the loss inf" in caution["evidence"]
    assert doc["verdict"] == "healthy" and doc["family"] is None and doc["blame"] is None
    assert Report.from_dict(doc) == report


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_hook_file_is_healthy_exit_0_and_strict_makes_its_caution_exit_1(tmp_path):
    path = write(tmp_path, "net.py", LOSS_AND_GRADS)
    result = check_file(path)
    assert (result.report.verdict, result.exit_code) == ("healthy", 0)
    assert result.text().startswith("net.py: form (c), loss_and_grads\nverdict: healthy (1 caution)\n")
    plain = CliRunner().invoke(main, ["check", str(path)])
    strict = CliRunner().invoke(main, ["check", str(path), "--strict", "--json"])
    assert plain.exit_code == 0 and strict.exit_code == 1
    assert json.loads(strict.stdout)["exit_code"] == 1


def test_run_strict_fails_on_the_log_no_eps_caution_but_not_on_core():
    runner = CliRunner()
    plain = runner.invoke(main, ["run", "--bug", "log_no_eps"])
    assert plain.exit_code == 0
    assert plain.stdout.startswith("verdict: healthy (1 caution)\n")
    assert plain.stdout.endswith("injected: log_no_eps; expected: healthy+log_no_eps; verdict right\n")
    assert runner.invoke(main, ["run", "--bug", "log_no_eps", "--strict"]).exit_code == 1
    assert runner.invoke(main, ["run", "--bug", "core", "--strict"]).exit_code == 0


# -- families ---------------------------------------------------------------------------------

def test_every_catalog_fault_the_engine_can_name_has_the_catalogs_checklist_family():
    import bugs
    from diagnose.engine.remedies import known_ids, term

    named = [f for f in bugs.FAULTS if f.kind is not bugs.Kind.EQUIVALENT]
    assert [f.id for f in named if f.id not in known_ids()] == []
    wrong = [(f.id, term(f.id).family, f.checklist_item) for f in named
             if f.checklist_item is not None and term(f.id).family != f.checklist_item]
    assert wrong == []


def test_the_verdict_line_names_the_family_and_json_carries_it():
    source = variant(SPLIT, "d_pre = d_act * (pre > 0)", "d_pre = d_act * act")
    report = report_of(source)
    assert report.verdict == "relu_times_activation"
    assert report.text().startswith("verdict: relu_times_activation — a bad ReLU mask or activation derivative (checklist 4)")
    doc = report.to_dict()
    assert doc["family"] == "checklist 4" and doc["families"] == {"relu_times_activation": "checklist 4"}
    assert doc["blame"] == {"function": "backward", "tensors": []}


# -- 3. unusable output is named in stage 1, never "a bug in diagnose" --------------------------

# (case, {style: (find, replace)}, verdict, a sentence the report must print)
UNUSABLE = [
    ("all_nan", {"split": ("    d_logits /= batch\n", "    d_logits *= np.nan\n"),
                 "loss_and_grads": ('"W1": dW1, "b1": db1, "W2": dW2, "b2": db2',
                                    '"W1": dW1 * np.nan, "b1": db1 * np.nan, "W2": dW2 * np.nan, "b2": db2 * np.nan')},
     "grads_nonfinite", "   - every gradient is NaN in every entry at a moderate probe"),
    ("vector_of_wrong_size", {"split": ('"b1": d_pre.sum(axis=0)', '"b1": np.zeros(7)'),
                              "loss_and_grads": ("db1 = np.sum(dhidden, axis=0)", "db1 = np.zeros(7)")},
     "shape_mismatch", "   - db1 has shape (7,), b1 has (12,)"),
    ("none", {"split": ('"W1": X.T @ d_pre', '"W1": None'), "loss_and_grads": ("dW1 = X.T.dot(dhidden)", "dW1 = None")},
     "grad_not_array", "   - dW1 is None, not an array of numbers"),
    ("string", {"split": ('"W1": X.T @ d_pre', '"W1": "todo"'),
                "loss_and_grads": ("dW1 = X.T.dot(dhidden)", "dW1 = 'todo'")},
     "grad_not_array", "   - dW1 is a str ('todo'), not an array of numbers"),
    ("python_scalar", {"split": ('"b2": d_logits.sum(axis=0)', '"b2": 0.0'),
                       "loss_and_grads": ("db2 = np.sum(dscores, axis=0)", "db2 = 0.0")},
     "grad_not_array", "   - db2 is a float (0.0), not an array of numbers"),
    ("object_array", {"split": ('"W1": X.T @ d_pre', '"W1": (X.T @ d_pre).astype(object)'),
                      "loss_and_grads": ("dW1 = X.T.dot(dhidden)", "dW1 = X.T.dot(dhidden).astype(object)")},
     "grad_not_array", "   - dW1 is an array of dtype object, not an array of numbers"),
    ("complex_gradients", {"split": ('"W2": act.T @ d_logits', '"W2": act.T @ d_logits + 0j'),
                           "loss_and_grads": ("dW2 = hidden.T.dot(dscores)", "dW2 = hidden.T.dot(dscores) + 0j")},
     "grad_complex", "   - dW2 has dtype complex128 (largest imaginary part 0)"),
    ("complex_loss", {"split": ("loss = -np.log(probs[np.arange(batch), y]).mean()",
                                "loss = -np.log(probs[np.arange(batch), y]).mean() + 0j"),
                      "loss_and_grads": ("loss = np.sum(-np.log(probs[range(n), y])) / n",
                                         "loss = np.sum(-np.log(probs[range(n), y])) / n + 0j")},
     "loss_complex", "+0j), a complex number (complex128)"),
    ("integer_gradients", {"split": ('"W1": X.T @ d_pre', '"W1": (100 * X.T @ d_pre).astype(int)'),
                           "loss_and_grads": ("dW1 = X.T.dot(dhidden)", "dW1 = (100 * X.T.dot(dhidden)).astype(int)")},
     "grad_integer", "   - dW1 has dtype int64, not a floating dtype"),
]
SOURCES = {"split": SPLIT, "loss_and_grads": LOSS_AND_GRADS}


@pytest.mark.parametrize("style", SOURCES)
@pytest.mark.parametrize("case, edits, verdict, sentence", UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_unusable_output_is_a_stage_1_fault_with_its_evidence(style, case, edits, verdict, sentence):
    report = report_of(variant(SOURCES[style], *edits[style]))
    assert (report.verdict, report.stage, report.failure) == (verdict, "shapes and types", None)
    assert sentence in report.text()


def test_complex_and_integer_gradients_are_never_called_float64():
    for edit in (('"W2": act.T @ d_logits', '"W2": act.T @ d_logits + 0j'),
                 ('"W2": act.T @ d_logits', '"W2": (100 * act.T @ d_logits).astype(int)')):
        text = report_of(variant(SPLIT, *edit)).text()
        assert "the loss and the gradients are float64" not in text
        assert "   - the loss, dW1, db1, db2 are float64\n" in text


def test_every_gradient_nan_says_the_later_stages_did_not_run():
    report = report_of(variant(SPLIT, "    d_logits /= batch\n", "    d_logits *= np.nan\n"))
    assert report.blame == {"function": "backward", "tensors": ["W1", "b1", "W2", "b2"]}
    assert "5. gradient check: not run" in report.text()
    assert report.skipped == ("the stages after shapes and types: no gradient is a usable array of its param's shape",)


def test_gradients_as_lists_are_a_caution_not_a_fault():
    report = report_of(variant(SPLIT, '"W1": X.T @ d_pre', '"W1": (X.T @ d_pre).tolist()'))
    assert (report.verdict, caution_ids(report)) == ("healthy", ["grads_as_lists", "log_no_eps"])
    assert "   - dW1 is a Python list\n" in report.text()
    assert report.text().startswith("verdict: healthy (2 cautions)\n")


def test_a_file_with_unusable_output_exits_1_with_the_finding_not_an_internal_error(tmp_path):
    source = variant(LOSS_AND_GRADS, "dW2 = hidden.T.dot(dscores)", "dW2 = hidden.T.dot(dscores) + 0j")
    result = CliRunner().invoke(main, ["check", str(write(tmp_path, "net.py", source))])
    assert result.exit_code == 1
    head = "verdict: grad_complex — a gradient is complex (other); first failing stage: shapes and types"
    assert head in result.stdout
    assert "bug in diagnose" not in result.output


# -- 2. blame the right place ---------------------------------------------------------------------

# (case, {style: (find, replace)}, verdict, blame, sentence)
BLAME = [
    ("dW1_doubled", {"split": ('"W1": X.T @ d_pre', '"W1": 2 * X.T @ d_pre'),
                     "loss_and_grads": ("dW1 = X.T.dot(dhidden)", "dW1 = 2 * X.T.dot(dhidden)")},
     "tensor_scaled", {"function": 1, "tensors": ["W1"]},
     "   - analytic / numeric is 2.0000 on W1 alone; b1, W2, b2 match central differences"),
    ("db1_halved", {"split": ('"b1": d_pre.sum(axis=0)', '"b1": 0.5 * d_pre.sum(axis=0)'),
                    "loss_and_grads": ("db1 = np.sum(dhidden, axis=0)", "db1 = 0.5 * np.sum(dhidden, axis=0)")},
     "tensor_scaled", {"function": 1, "tensors": ["b1"]},
     "   - analytic / numeric is 0.5000 on b1 alone; W1, W2, b2 match central differences"),
    ("all_doubled", {"split": ("    d_logits /= batch\n", "    d_logits /= batch\n    d_logits *= 2\n"),
                     "loss_and_grads": ("    dscores /= n\n", "    dscores /= n\n    dscores *= 2\n")},
     "constant_factor", {"function": 1, "tensors": []},
     "   - analytic / numeric is 2.0000 on W1, b1, W2, b2"),
    ("softmax_over_the_batch", {
        "split": ("e / e.sum(axis=1, keepdims=True)", "e / e.sum(axis=0, keepdims=True)"),
        "loss_and_grads": ("probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)",
                           "probs = np.exp(scores) / np.sum(np.exp(scores), axis=0, keepdims=True)")},
     "softmax_wrong_axis", {"function": 0, "tensors": []},
     "it equals the cross-entropy of a softmax normalised over axis 0"),
    ("labels_as_a_column", {
        "split": ("    batch = len(y)\n    loss", "    batch = len(y)\n    y = y.reshape(-1, 1)\n    loss"),
        "loss_and_grads": ("    n = X.shape[0]\n", "    n = X.shape[0]\n    y = y.reshape(-1, 1)\n")},
     "labels_n1", {"function": 0, "tensors": []},
     "of -log P[i, y_j] over all N x N pairs"),
    ("loss_scaled", {"split": ("loss = -np.log(probs[np.arange(batch), y]).mean()",
                               "loss = -1.1 * np.log(probs[np.arange(batch), y]).mean()"),
                     "loss_and_grads": ("loss = np.sum(-np.log(probs[range(n), y])) / n",
                                        "loss = 1.1 * np.sum(-np.log(probs[range(n), y])) / n")},
     "forward_wrong", {"function": 0, "tensors": []}, "(ratio 1.1000)"),
    ("loss_summed_gradient_averaged", {
        "split": ("loss = -np.log(probs[np.arange(batch), y]).mean()",
                  "loss = -np.log(probs[np.arange(batch), y]).sum()"),
        "loss_and_grads": ("loss = np.sum(-np.log(probs[range(n), y])) / n",
                           "loss = np.sum(-np.log(probs[range(n), y]))")},
     "loss_summed", {"function": 0, "tensors": []},
     "=> it follows 1/N and the loss is N times the mean: the loss is summed [loss_summed]"),
    ("relu_times_activation", {"split": ("d_pre = d_act * (pre > 0)", "d_pre = d_act * act"),
                               "loss_and_grads": ("dhidden[hidden <= 0] = 0", "dhidden *= hidden")},
     "relu_times_activation", {"function": 1, "tensors": []}, "masked by the activation A1 instead of a mask"),
]


@pytest.mark.parametrize("style", SOURCES)
@pytest.mark.parametrize("case, edits, verdict, blame, sentence", BLAME, ids=[b[0] for b in BLAME])
def test_the_fault_is_blamed_on_the_function_and_tensors_that_hold_it(style, case, edits, verdict, blame, sentence):
    function = FUNCTIONS[style][blame["function"]]
    for seed in range(3):
        report = report_of(variant(SOURCES[style], *edits[style]), seed)
        assert report.verdict == verdict and report.blame == {**blame, "function": function}
        assert caution_ids(report) in (["log_no_eps"], [])
    assert sentence in report.text()
    assert f"\n  {verdict} (in {function}" in report.text()


def test_a_factor_on_one_tensor_points_at_its_line_not_at_dZ2():
    report = report_of(variant(SPLIT, '"W1": X.T @ d_pre', '"W1": 2 * X.T @ d_pre'))
    assert report.faults == ("tensor_scaled",)
    assert "dZ2 recovered from dW2 and db2 equals (P - onehot(y)) / N" in report.text()
    assert "  tensor_scaled (in backward, dW1): remove the extra factor" in report.text()
    assert "dZ2" not in report.fix


def test_a_factor_on_a_whole_layer_is_divided_out_before_isolating_so_nothing_else_is_blamed():
    report = report_of(variant(SPLIT, '"W2": act.T @ d_logits, "b2": d_logits.sum(axis=0)',
                               '"W2": 3 * act.T @ d_logits, "b2": 3 * d_logits.sum(axis=0)'))
    assert report.faults == ("tensor_scaled",) and report.blame["tensors"] == ["W2", "b2"]
    assert "   - before isolating, divided dW2 by 3, db2 by 3: the factor stage 5 found on each alone" in report.text()


def test_a_summed_loss_with_the_gradients_of_the_sum_is_only_a_caution():
    source = variant(variant(LOSS_AND_GRADS, "loss = np.sum(-np.log(probs[range(n), y])) / n",
                             "loss = np.sum(-np.log(probs[range(n), y]))"), "    dscores /= n\n", "")
    report = report_of(source)
    assert (report.verdict, caution_ids(report)) == ("healthy", ["log_no_eps", "loss_is_sum"])
    assert "   - the gradients are those of the summed loss, N = 6 times the mean" in report.text()
    # the sum is a convention of the net family: recognised, then isolated against the sum's own dZ2
    assert report.net == "relu,softmax_ce,sum"
    assert "dZ2 recovered from dW2 and db2 equals (P - onehot(y))\n" in report.text()


def test_a_write_into_the_cache_names_the_array_and_the_function():
    source = variant(SPLIT, '    return {"W1": X.T @ d_pre', '    grads = {"W1": X.T @ d_pre')
    report = report_of(variant(source, "d_logits.sum(axis=0)}\n",
                               'd_logits.sum(axis=0)}\n    cache["inputs"][:] = 0\n    return grads\n'))
    assert report.faults == ("cache_mutated",) and report.to_dict()["family"] == "checklist 2"
    assert "   - backward wrote into cache['inputs'] (the caller's X itself): cache['inputs'] changed" in report.text()
    assert "no_copy" not in report.text()


def test_editing_the_cached_probabilities_is_no_copy_whatever_the_key():
    report = report_of(variant(SPLIT, "d_logits = probs.copy()", "d_logits = probs"))
    assert report.verdict == "no_copy"
    assert "   - backward wrote into the cache: cache['probs'] (it held P) changed" in report.text()


@pytest.mark.parametrize("style, source, find, call", [
    ("split", SPLIT, '    pre = X @ params["W1"]', "forward_loss"),
    ("loss_and_grads", LOSS_AND_GRADS, "    n = X.shape[0]", "loss_and_grads"),
], ids=["split", "loss_and_grads"])
def test_a_forward_pass_that_edits_x_is_input_mutated(style, source, find, call):
    report = report_of(variant(source, find, "    X *= 2\n" + find))
    assert report.verdict == "input_mutated" and report.blame["function"] == FUNCTIONS[style][0]
    assert f"   - {call} changed its inputs: X changed by up to" in report.text()
    assert f"{call} edited its own inputs (see purity), so it computed another loss" in report.text()


def test_the_class_style_names_a_per_tensor_factor_too():
    source = variant(CLASS_NET, 'grads["W1"] = X.T.dot(dz1) + 2 * reg * W1',
                     'grads["W1"] = 2 * X.T.dot(dz1) + 2 * reg * W1')
    report = report_of(source)
    assert report.verdict == "tensor_scaled"
    assert report.blame == {"function": "the backward part of TwoLayerNet.loss", "tensors": ["W1"]}


@pytest.mark.parametrize("shape", [None, (20, 5, 8, 3), (3, 4, 5, 6)], ids=["default", "not_isolable", "N_lt_C"])
def test_no_false_alarm_on_handwritten_correct_code_over_50_seeds(shape):
    wrong = [(style, seed, r.verdict) for style, source in STYLES.items() for seed in range(50)
             if (r := diagnose_subject(load_subject(module(source)), seed=seed, shape=shape)).verdict != "healthy"]
    assert wrong == []


def test_a_factor_of_2_at_n_2_is_not_taken_for_a_missing_div_n():
    report = diagnose_subject(load_subject(module(variant(SPLIT, "    d_logits /= batch\n",
                                                          "    d_logits /= batch\n    d_logits *= 2\n"))),
                              seed=0, shape=(2, 3, 4, 2))
    assert report.verdict == "constant_factor"
    assert "(= N with N = 2); at N = 4 it is 2.0000, 2.0000, 2.0000, 2.0000" in report.text()


def test_a_forward_fault_with_a_backward_true_to_it_blames_forward_only_and_says_backward_is_consistent():
    source = variant(variant(SPLIT, "loss = -np.log(probs[np.arange(batch), y]).mean()",
                             "loss = -1.1 * np.log(probs[np.arange(batch), y]).mean()"),
                     "    d_logits /= batch\n", "    d_logits /= batch\n    d_logits *= 1.1\n")
    report = report_of(source)
    assert report.faults == ("forward_wrong",) and report.blame == {"function": "forward_loss", "tensors": []}
    assert "   - every gradient matches central differences of the subject's own loss" in report.text()
    assert "6. layer isolation: not run" in report.text()
    assert "  forward_wrong (in forward_loss): loss = mean over the batch of -log softmax(Z2)[i, y_i]" in report.text()


def test_a_wrong_db2_is_named_even_where_least_squares_cannot_isolate():
    report = diagnose_subject(load_subject(module(variant(SPLIT, '"b2": d_logits.sum(axis=0)',
                                                          '"b2": d_logits.sum(axis=0) + 0.01'))),
                              seed=0, shape=(20, 5, 8, 3))
    assert report.verdict == "layer2_wrong" and report.blame["tensors"] == ["b2"]
    assert "   - db2 matches no layer-2 product of the reference dZ2 (A1^T dZ2, the batch sum of dZ2)" in report.text()


def test_a_loss_in_a_one_number_array_is_a_caution_and_a_text_loss_is_named():
    one = report_of(variant(LOSS_AND_GRADS, "return loss, {", "return np.array([loss]), {"))
    assert (one.verdict, caution_ids(one)) == ("healthy", ["loss_shape", "log_no_eps"])
    assert "   - the loss is an array of shape (1,) holding one number" in one.text()
    text = report_of(variant(LOSS_AND_GRADS, "return loss, {", "return str(loss), {"))
    assert (text.verdict, text.stage) == ("loss_not_scalar", "shapes and types")
    assert "   - the loss is a str ('1.80687" in text.text() and "'), not a real scalar\n" in text.text()


def test_a_pair_returned_as_grads_then_loss_is_named_with_the_order_to_use():
    report = report_of(variant(LOSS_AND_GRADS, 'return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}',
                               'return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, loss'))
    assert report.verdict == "loss_not_scalar"
    assert "     => a dict where the loss should be: return the pair in the order (loss, grads)" in report.text()


def test_nan_in_some_gradients_is_counted_per_tensor_never_called_every_gradient():
    report = report_of(variant(LOSS_AND_GRADS, '"W1": dW1, "b1": db1,', '"W1": dW1 / 0, "b1": db1 * np.nan,'))
    assert report.verdict == "grads_nonfinite" and report.blame["tensors"] == ["W1", "b1"]
    assert "every gradient" not in report.text().split("5. gradient check")[0]
    assert "   - dW1 holds 108 non-finite of 108 entries; db1 holds 12 non-finite of 12 entries at a moderate probe" \
        in report.text()
    assert "   - dW2, db2 match central differences" in report.text()


@pytest.mark.parametrize("eps", ["1e-12", "1e-8", "1e-7"])
def test_a_small_epsilon_in_the_log_is_healthy_without_any_caution(eps):
    source = variant(SPLIT, "np.log(probs[np.arange(batch), y])", f"np.log(probs[np.arange(batch), y] + {eps})")
    for seed in range(20):
        report = report_of(source, seed)
        assert (report.verdict, caution_ids(report)) == ("healthy", [])


@pytest.mark.parametrize("style", ["split", "loss_and_grads"])
@pytest.mark.parametrize("eps", ["1e-5", "1e-4", "1e-3"])
def test_a_large_epsilon_in_the_log_is_the_caution_log_eps_not_a_forward_fault(style, eps):
    find = {"split": "np.log(probs[np.arange(batch), y])", "loss_and_grads": "np.log(probs[range(n), y])"}[style]
    source = variant(SOURCES[style], find, find[:-1] + f" + {eps})")
    for seed in range(10):
        report = report_of(source, seed)
        assert (report.verdict, caution_ids(report)) == ("healthy", ["log_eps"])
    assert f"it equals -mean log(p_y + {float(eps):.0e}), an epsilon inside the log" in report.text()


def test_a_loss_a_little_low_but_not_by_a_round_epsilon_is_still_a_forward_fault():
    source = variant(SPLIT, "np.log(probs[np.arange(batch), y])", "np.log(probs[np.arange(batch), y] + 3.7e-4)")
    assert report_of(source).verdict == "forward_wrong"


def test_an_update_inside_a_fused_call_is_worded_with_that_call():
    source = variant(LOSS_AND_GRADS, '    return loss, {"W1": dW1,',
                     '    params["W1"] -= 0.1 * dW1\n    return loss, {"W1": dW1,')
    report = report_of(source)
    assert report.verdict == "update_before_check"
    assert "   - loss_and_grads changed the params: W1 changed by up to" in report.text()
    assert "an SGD update runs inside loss_and_grads," in report.text() and "backward changed" not in report.text()


@pytest.mark.parametrize("style, find", [("split", "logits.max(axis=1"), ("loss_and_grads", "np.max(scores")])
def test_a_softmax_shifted_by_the_row_min_overflows_and_is_a_fault_not_a_caution(style, find):
    report = report_of(variant(SOURCES[style], find, find.replace("max", "min")))
    assert report.verdict == "unstable_softmax" and caution_ids(report) == []
    assert "gives the loss nan and non-finite dW1, db1, dW2, db2" in report.text()


def test_a_one_hot_loss_without_epsilon_gives_nan_at_saturation_but_finite_gradients_so_only_a_caution():
    source = variant(SPLIT, "loss = -np.log(probs[np.arange(batch), y]).mean()",
                     "loss = -(np.eye(probs.shape[1])[y] * np.log(probs)).sum() / batch")
    report = report_of(source)
    assert (report.verdict, caution_ids(report)) == ("healthy", ["log_no_eps"])
    assert "gives the loss nan\n" in report.text()


# -- every printed claim against the report's own observations, over many broken variants -----------

SWAPS = [("axis=1", "axis=0"), (" + ", " - "), (" * ", " / "), (".T", ""), ("> 0", "< 0"), ("/= ", "*= "),
         ("np.max", "np.min"), ("np.exp", "np.abs"), ("[range(n), y]", "[:, y]")]


def broken_variants(source):
    """The source with one line deleted, or one operator swapped, for every line where that applies."""
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith(("def ", "import", "return")):
            yield "".join(lines[:i] + lines[i + 1:])
        for a, b in SWAPS:
            if a in line:
                yield "".join(lines[:i] + [line.replace(a, b, 1)] + lines[i + 1:])


def claims_hold(report):
    """The sentences a report prints that make a claim, each checked against what it holds."""
    text = report.text()
    if report.verdict == "healthy":
        assert all(f.passed for f in report.findings) and report.faults == ()
    if "every gradient matches central differences" in text:
        assert len(report.checks) == 4 and all(c.rel_error <= 1e-5 for c in report.checks)
    for c in report.checks:
        row = next(line for line in text.splitlines() if line.strip().startswith(c.name + " "))
        assert ("(constant)" in row) == (c.ratio is not None and c.constant)
    if "the loss and the gradients are float64" in text:
        assert all(f.fault not in ("grad_integer", "grad_complex", "float32") for f in report.findings)
    assert all(f"  {c.id} (in " in text for c in report.cautions)
    assert all(f"  {fault} (in " in text for fault in report.faults)
    if report.blame:
        assert all(f"d{t}" in text for t in report.blame["tensors"])


@pytest.mark.parametrize("style", ["split", "loss_and_grads"])
def test_every_claim_a_report_prints_holds_on_broken_hand_written_code(style):
    checked = 0
    for source in broken_variants(SOURCES[style]):
        try:
            subject = module(source)
        except SyntaxError:
            continue
        claims_hold(diagnose(subject, seed=1))
        checked += 1
    assert checked >= 20


def test_float32_gradients_of_a_float64_loss_are_a_caution_and_a_float32_forward_stays_a_fault():
    grads32 = report_of(variant(SPLIT, '"W1": X.T @ d_pre', '"W1": (X.T @ d_pre).astype(np.float32)'))
    assert (grads32.verdict, caution_ids(grads32)) == ("healthy", ["log_no_eps", "grads_low_precision"])
    assert "   - not float64: dW1 (float32), while the loss is float64; the check's relative error is" in grads32.text()
    forward32 = report_of(variant(SPLIT, '    pre = X @ params["W1"]',
                                  '    X = X.astype(np.float32)\n    params = {k: v.astype(np.float32) for k, v in '
                                  'params.items()}\n    pre = X @ params["W1"]'))
    assert forward32.verdict == "float32"


HALF_SUM_MSE = '''
import numpy as np

def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = X @ W1 + b1
    a1 = np.maximum(0, z1)
    out = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
    t = np.eye(W2.shape[1])[y]
    loss = 0.5 * np.sum((out - t) ** 2)
    delta = (out - t) * out * (1 - out)
    dz1 = delta @ W2.T * (z1 > 0)
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ delta, "b2": delta.sum(0)}
'''


def test_a_half_squared_error_summed_over_the_batch_gets_the_same_caution_as_a_plain_sum():
    report = report_of(HALF_SUM_MSE)
    assert (report.verdict, caution_ids(report), report.net) == ("healthy", ["loss_is_sum"], "relu,sigmoid_mse,half_sum")
    assert "   - the gradients are those of the summed loss, N = 6 times the mean" in report.text()


def test_a_head_fault_on_a_half_squared_error_net_is_named_and_its_fix_is_that_members_formula():
    source = variant(variant(HALF_SUM_MSE, "delta = (out - t) * out * (1 - out)", "delta = out - t"),
                     "loss = 0.5 * np.sum((out - t) ** 2)", "loss = 0.5 * np.sum((out - t) ** 2) / len(y)")
    source = variant(source, "delta = out - t", "delta = (out - t) / len(y)")
    report = report_of(source)
    assert (report.verdict, report.net) == ("mse_grad_no_sigmoid", "relu,sigmoid_mse,half_mean")
    assert ("dZ2 recovered from dW2 and db2 is (S - Y) / N without the sigmoid's derivative S (1 - S), "
            "not (S - Y) S (1 - S) / N") in report.text()
    assert report.fix == "mse_grad_no_sigmoid: dZ2 = (S - Y) S (1 - S) / N"
    assert "(P - onehot(y))" not in report.text()


def test_the_raw_logits_fault_prints_the_divisor_the_subject_used():
    source = variant(LOSS_AND_GRADS, "    dscores = probs\n", "    dscores = scores.copy()\n")
    report = report_of(source)
    assert report.verdict == "ce_grad_no_softmax"
    assert "is (Z2 - max(Z2) - onehot(y)) / N: the shifted logits, the softmax missing from the gradient" \
        in report.text()



def test_a_forward_pass_cast_to_float32_is_blamed_on_the_forward_function():
    report = report_of(variant(SPLIT, 'pre = X @ params["W1"] + params["b1"]',
                               'pre = X.astype(np.float32) @ params["W1"].astype(np.float32) + params["b1"]'))
    assert report.verdict == "float32"
    assert report.blame == {"function": "forward_loss", "tensors": []}
    assert "  float32 (in forward_loss): use float64" in report.text()


BCE = '''
import numpy as np

def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    a1 = np.maximum(0, X @ W1 + b1)
    s = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
    loss = -np.mean(y * np.log(s.ravel()) + (1 - y) * np.log(1 - s.ravel()))
    dz2 = (s - y.reshape(-1, 1)) / len(y)
    dz1 = dz2 @ W2.T * (a1 > 0)
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
'''


@pytest.mark.parametrize("reduce", ["mean", "sum"])
def test_an_n1_sigmoid_output_against_n_labels_is_a_label_shape_fault_of_the_forward_pass(reduce):
    assert report_of(BCE).verdict == "healthy"
    source = variant(variant(BCE, "np.log(s.ravel())", "np.log(s)"), "np.log(1 - s.ravel())", "np.log(1 - s)")
    report = report_of(variant(source, "-np.mean(", f"-np.{reduce}("))
    assert (report.verdict, report.net) == ("bce_labels_broadcast", "relu,sigmoid_bce")
    assert report.blame == {"function": "the forward part of loss_and_grads", "tensors": []}
    assert "verdict: bce_labels_broadcast — a wrong label shape (checklist 3)" in report.text()
    assert f"against every label y_j (an N x N array), {'averaged' if reduce == 'mean' else 'summed'}" in report.text()


TANH = '''
import numpy as np

def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = X @ W1 + b1
    a1 = np.tanh(z1)
    z2 = a1 @ W2 + b2
    z2 = z2 - z2.max(axis=1, keepdims=True)
    logp = z2 - np.log(np.exp(z2).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(len(y)), y].mean()
    dz2 = np.exp(logp)
    dz2[np.arange(len(y)), y] -= 1
    dz2 /= len(y)
    dz1 = dz2 @ W2.T * (1 - a1 ** 2)
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
'''


@pytest.mark.parametrize("factor, fault, sentence", [
    ("1", "tanh_grad_missing", "equals (dZ2 W2^T) * 1: no derivative at all, dZ1 = dA1"),
    ("(z1 > 0)", "relu_grad_on_tanh", "equals (dZ2 W2^T) * (Z1 > 0): the relu derivative on a tanh layer"),
])
def test_a_wrong_derivative_on_a_tanh_layer_is_named_in_a_sentence_that_reads_as_a_formula(factor, fault, sentence):
    assert report_of(TANH).verdict == "healthy"
    report = report_of(variant(TANH, "(1 - a1 ** 2)", factor))
    assert report.verdict == fault
    assert f"   - dZ1 recovered from dW1 and db1 {sentence}\n" in report.text()


def test_a_transposed_gradient_is_checked_in_its_params_shape_and_the_report_says_so():
    report = report_of(variant(LOSS_AND_GRADS, "dW2 = hidden.T.dot(dscores)", "dW2 = dscores.T.dot(hidden)"))
    assert report.verdict == "dW2_transposed"
    assert "   - every gradient matches central differences" in report.text()
    assert "note: the later stages judge dW2 transposed to W2's shape (12, 4)\n" in report.text()


@pytest.mark.parametrize("source, find, replace, dz2", [
    (LOSS_AND_GRADS, "dscores /= n", "dscores /= -n", "(P - onehot(y)) / N"),
    (HALF_SUM_MSE, "delta = (out - t) * out * (1 - out)", "delta = (t - out) * out * (1 - out)", "(S - Y) S (1 - S)"),
])
def test_a_flipped_sign_is_worded_with_the_members_own_dZ2(source, find, replace, dz2):
    report = report_of(variant(source, find, replace))
    assert report.verdict == "sign_flipped"
    assert f"=> the gradient points uphill: the negative of dZ2 = {dz2} [sign_flipped]" in report.text()
    assert report.fix == f"sign_flipped: {'dZ2 = P - onehot(y), not onehot(y) - P' if 'P' in dz2 else f'dZ2 = {dz2}, not its negative'}"


def test_one_subtracted_at_every_class_is_a_wrong_dZ2_not_a_label_shape_when_the_loss_is_right():
    source = variant(LOSS_AND_GRADS, "    dscores = probs\n    dscores[range(n), y] -= 1\n", "    dscores = probs - 1\n")
    for seed in (0, 1, 2):
        report = report_of(source, seed=seed)
        assert report.verdict == "dZ2_wrong"
        assert "has -1/N at every class of every row: (P - 1) / N" in report.text()
        assert "labels_n1" not in report.faults


LEAKY = '''
import numpy as np

def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    a = np.where(z > 0, z, 0.15 * z)
    s = a @ W2 + b2
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
    d = p.copy()
    d[np.arange(len(y)), y] -= 1
    d /= len(y)
    dz = d @ W2.T * np.where(z > 0, 1.0, 0.15)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(0), "W2": a.T @ d, "b2": d.sum(0)}
'''


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_leaky_slope_off_the_list_with_a_fault_in_one_layer_is_still_recognised_and_the_fault_named(seed):
    assert (report_of(LEAKY, seed).verdict, report_of(LEAKY, seed).net) == ("healthy", "leaky_relu:0.15,softmax_ce")
    report = report_of(variant(LEAKY, "np.where(z > 0, 1.0, 0.15)", "(z > 0)"), seed)
    assert (report.verdict, report.net) == ("relu_grad_on_leaky_relu", "leaky_relu:0.15,softmax_ce")
    assert "no member of the net family has this loss" not in report.text()
    report = report_of(variant(LEAKY, '"W2": a.T @ d', '"W2": 2 * a.T @ d'), seed)
    assert (report.verdict, report.net) == ("tensor_scaled", "leaky_relu:0.15,softmax_ce")


def test_a_one_by_one_bce_cost_is_usable_with_a_caution_and_its_log_caution_names_the_logits():
    source = variant(BCE, "loss = -np.mean(y * np.log(s.ravel()) + (1 - y) * np.log(1 - s.ravel()))",
                     "loss = -(y[None, :] @ np.log(s) + (1 - y)[None, :] @ np.log(1 - s)) / len(y)")
    report = report_of(source)
    assert (report.verdict, report.net) == ("healthy", "relu,sigmoid_bce")
    assert caution_ids(report) == ["loss_shape", "log_no_eps"]
    fix = "compute the loss from the logits: np.logaddexp(0, z) - y * z, or np.log(s + 1e-12)"
    assert [c.fix for c in report.cautions if c.id == "log_no_eps"] == [fix]
    assert f"  log_no_eps (in the forward part of loss_and_grads): {fix}\n" in report.text()
    assert "the loss is nan and the gradients are finite\n     => caution: log(0) once s(z) rounds to 0 or 1: right " \
           "on ordinary inputs, but one saturated logit makes the loss inf or NaN" in report.text()


def test_column_bias_gradients_are_a_shape_fault_whose_values_are_still_checked():
    source = variant(variant(LOSS_AND_GRADS, "db1 = np.sum(dhidden, axis=0)", "db1 = np.sum(dhidden, axis=0)[:, None]"),
                     "db2 = np.sum(dscores, axis=0)", "db2 = 2 * np.sum(dscores, axis=0)[:, None]")
    report = report_of(source)
    assert report.faults[0] == "shape_mismatch" and report.blame["tensors"] == ["b1", "b2"]
    assert "=> a column where b1 is 1-D: `b1 -= lr * db1` then fails to broadcast; return db1.ravel()" in report.text()
    assert "tensor_scaled" in report.faults  # db2's factor 2 is seen once the column is reshaped
    assert "note: the later stages judge db1 reshaped to b1's shape (12,)\n" in report.text()


CHAIN_BCE = (pathlib.Path(__file__).parent / "corpus" / "c129_bce_chain_rule_divides.py").read_text()  # dA2 * s (1 - s)


def test_a_chain_rule_bce_gradient_that_divides_by_s_is_healthy_with_a_caution_not_an_unstable_sigmoid():
    report = report_of(CHAIN_BCE)
    assert (report.verdict, caution_ids(report), report.net) == ("healthy", ["grads_nonfinite_saturated"],
                                                                 "relu,sigmoid_bce")
    assert "exp overflows" not in report.text()
    wrong = report_of(variant(CHAIN_BCE, "dZ2 = dA2 * A2 * (1 - A2)", "dZ2 = dA2"))
    assert (wrong.verdict, caution_ids(wrong)) == ("dZ2_wrong", ["grads_nonfinite_saturated"])


def test_a_bias_gradient_summed_over_the_units_with_keepdims_is_the_wrong_axis():
    report = report_of(variant(LOSS_AND_GRADS, "db1 = np.sum(dhidden, axis=0)", "db1 = np.sum(dhidden, axis=1, keepdims=True)"))
    assert report.verdict == "db1_wrong_axis"
    assert "=> N rows: summed over axis 1 (the units) instead of axis 0 (the batch) [db1_wrong_axis]" in report.text()


def test_a_factor_on_one_tensor_is_divided_out_and_the_sentence_speaks_of_it_alone():
    report = report_of(variant(SPLIT, '"W1": X.T @ d_pre', '"W1": 2 * X.T @ d_pre'))
    assert "   - before isolating, divided dW1 by 2: the factor stage 5 found on it alone\n" in report.text()


@pytest.mark.parametrize("eps", ["1e-5", "1e-4"])
def test_an_epsilon_in_the_binary_cross_entropy_is_a_log_eps_caution_not_a_forward_fault(eps):
    source = variant(variant(BCE, "np.log(s.ravel())", f"np.log(s.ravel() + {eps})"),
                     "np.log(1 - s.ravel())", f"np.log(1 - s.ravel() + {eps})")
    report = report_of(source)
    assert (report.verdict, caution_ids(report), report.net, report.net_basis) == \
        ("healthy", ["log_eps"], "relu,sigmoid_bce", "recognised from the loss")
    assert f"it equals the mean binary cross-entropy with log(s + {float(eps):.0e}) and log(1 - s + {float(eps):.0e})" \
        in report.text()


def test_an_epsilon_in_a_summed_cross_entropy_keeps_both_cautions():
    source = variant(variant(LOSS_AND_GRADS, "loss = np.sum(-np.log(probs[range(n), y])) / n",
                             "loss = np.sum(-np.log(probs[range(n), y] + 1e-5))"), "    dscores /= n\n", "")
    report = report_of(source)
    assert (report.verdict, caution_ids(report), report.net) == ("healthy", ["log_eps", "loss_is_sum"],
                                                                 "relu,softmax_ce,sum")
    assert "it equals the cross-entropy summed over the batch with log(p_y + 1e-05)" in report.text()


@pytest.mark.parametrize("biases", [False, True])
def test_an_l2_penalty_of_fixed_strength_inside_loss_and_grads_is_a_caution_and_isolation_takes_it_off(biases):
    penalty = "(np.sum(W1 * W1) + np.sum(W2 * W2)" + (" + np.sum(b1 * b1) + np.sum(b2 * b2))" if biases else ")")
    source = variant(LOSS_AND_GRADS, "loss = np.sum(-np.log(probs[range(n), y])) / n",
                     f"loss = np.sum(-np.log(probs[range(n), y])) / n + 1e-3 * {penalty}")
    source = variant(source, '    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}',
                     '    dW1, dW2 = dW1 + 2e-3 * W1, dW2 + 2e-3 * W2\n'
                     + ('    db1, db2 = db1 + 2e-3 * b1, db2 + 2e-3 * b2\n' if biases else '')
                     + '    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}')
    report = report_of(source)
    assert (report.verdict, sorted(caution_ids(report)), report.net) == \
        ("healthy", ["log_no_eps", "loss_has_penalty"], "relu,softmax_ce")
    names = "W1, b1, W2, b2" if biases else "W1, W2"
    assert f"plus 0.001 x the sum of {names} squared" in report.text()
    assert "dZ1 recovered from dW1 and db1 equals (dZ2 W2^T) * (Z1 > 0)" in report.text()
    broken = report_of(variant(source, "dhidden[hidden <= 0] = 0", "pass"))
    assert broken.verdict != "healthy"


def test_a_class_with_a_bce_head_gets_its_caution_fix_worded_for_its_member_in_json_too(tmp_path):
    path = tmp_path / "net.py"
    path.write_text((pathlib.Path(__file__).parent / "corpus" / "c135_class_tanh_bce_eps5.py").read_text())
    result = check_file(str(path))
    fix = "keep the epsilon at 1e-12 or below, or compute the loss from the logits: np.logaddexp(0, z) - y * z"
    assert [c.fix for c in result.report.cautions] == [fix]
    assert json.loads(json.dumps(result.report.to_dict()))["cautions"][0]["fix"] == fix


def test_a_max_shifted_softmax_whose_backward_divides_by_p_is_fragile_not_unstable():
    report = report_of((pathlib.Path(__file__).parent / "corpus" / "c138_full_softmax_jacobian.py").read_text())
    assert (report.verdict, sorted(caution_ids(report))) == ("healthy", ["grads_nonfinite_saturated", "log_no_eps"])
    assert "shift by each row's max" not in report.text()
    assert "   - with it, non-finite dW1, db1, dW2, db2\n" in report.text()
    min_shift = variant(LOSS_AND_GRADS, "scores -= np.max(scores, axis=1, keepdims=True)",
                        "scores -= np.min(scores, axis=1, keepdims=True)")
    assert report_of(min_shift).verdict == "unstable_softmax"  # NaN probabilities: the softmax itself overflows
