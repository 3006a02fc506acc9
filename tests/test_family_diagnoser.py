"""The diagnoser on every member of the net family: recognised from the loss, healthy when right, the
member faults and the checklist faults named, `--net` obeyed, a loss of no member reported as such."""
import dataclasses
import json
import pathlib

import numpy as np
import pytest
from click.testing import CliRunner

import bugs
import core
from core import family
from core.family import MEMBERS, Net
from diagnose import diagnose
from diagnose.cli.main import main
from diagnose.engine.report import Report
from diagnose.mutants.family_table import Variant, members_markdown

SEEDS = range(10)  # the 50-seed measurement is in the README (members x faults table)
MEMBER_FAULTS = [f for f in bugs.FAULTS if f.source == "core.family"]


@pytest.mark.parametrize("net", MEMBERS, ids=str)
def test_every_members_core_is_recognised_and_healthy(net):
    reports = [diagnose(family.member(net), seed=s) for s in SEEDS]
    assert [(r.verdict, r.net, r.net_basis) for r in reports] == [("healthy", str(net), "recognised from the loss")] * 10
    assert max(r.forward_calls for r in reports) <= 44


@pytest.mark.parametrize("spec", ["tanh,softmax_ce,sum", "sigmoid,sigmoid_mse,half_mean", "relu,sigmoid_mse,mean_nc",
                                  "leaky_relu:0.2,softmax_ce", "leaky_relu:0.1,sigmoid_bce,sum", "tanh,sigmoid_mse,half_sum"])
def test_a_loss_convention_and_a_leaky_slope_are_recognised_not_judged(spec):
    reports = [diagnose(family.member(spec), seed=s) for s in range(5)]
    assert [(r.verdict, r.net) for r in reports] == [("healthy", spec)] * 5
    assert reports[0].findings[0].observed.endswith(f"equals {loss_phrase(spec)}")


def loss_phrase(spec):
    from diagnose.engine.member import loss_words
    return loss_words(family.parse_net(spec))


@pytest.mark.parametrize("fault", MEMBER_FAULTS, ids=lambda f: f.id)
def test_every_member_fault_is_named_on_its_member(fault):
    expected = "healthy" if fault.kind is bugs.Kind.EQUIVALENT else fault.id
    mutant = bugs.make_mutant(fault)
    reports = [diagnose(mutant, seed=s) for s in SEEDS]
    assert [r.verdict for r in reports] == [expected] * 10
    assert all(r.net == fault.net for r in reports)


@pytest.mark.parametrize("mistake, named", [("missing_div_n", "missing_div_n"), ("no_copy", "cache_mutated"),
                                            ("update_before_check", "update_before_check"), ("float32", "float32")])
@pytest.mark.parametrize("net", MEMBERS, ids=str)
def test_checklist_mistakes_are_named_on_every_member(net, mistake, named):
    """A member's cache holds no P: writing into what forward cached is named cache_mutated (checklist 2)."""
    assert [diagnose(Variant(net, mistake), seed=s).verdict for s in range(5)] == [named] * 5


@pytest.mark.parametrize("net", [n for n in MEMBERS if n.head == "softmax_ce"], ids=str)
def test_labels_of_shape_n1_are_named_on_every_softmax_member(net):
    class Labels:
        def forward_loss(self, X, y, params):
            loss, cache = family.forward_loss(X, y, params, net)
            log_P = family.log_softmax(cache["Z2"])
            return -np.mean(log_P[np.arange(len(y)), y.reshape(-1, 1)]), cache  # y as a column

        def backward(self, cache, params):
            return family.backward(cache, params, net)

    assert [diagnose(Labels(), seed=s).verdict for s in range(5)] == ["labels_n1"] * 5


def test_a_binary_subject_gets_a_binary_probe_at_one_more_forward_call():
    binary = diagnose(family.member("tanh,sigmoid_bce"), seed=0)
    multi = diagnose(family.member("tanh,softmax_ce"), seed=0)
    assert binary.shape == (6, 9, 12, 1) and multi.shape == (6, 9, 12, 4)
    assert binary.forward_calls == multi.forward_calls + 1


def test_a_binary_subject_that_accepts_any_width_is_still_recognised():
    class Wide:  # takes column 0 of whatever W2 it is given, as hand-written code often does
        def loss_and_grads(self, X, y, params):
            p = {**params, "W2": params["W2"][:, :1], "b2": params["b2"][:1]}
            loss, cache = family.forward_loss(X, (y > 0).astype(int), p, "sigmoid,sigmoid_bce")
            g = family.backward(cache, p, "sigmoid,sigmoid_bce")
            g["W2"] = np.pad(g["W2"], ((0, 0), (0, params["W2"].shape[1] - 1)))
            g["b2"] = np.pad(g["b2"], (0, params["b2"].size - 1))
            return loss, g

    report = diagnose(Wide(), seed=0)
    assert (report.verdict, report.net, report.shape[3]) == ("healthy", "sigmoid,sigmoid_bce", 1)


def test_the_header_names_the_recognised_member_and_is_silent_for_the_default():
    text = diagnose(family.member("tanh,softmax_ce")).text()
    assert text.splitlines()[2] == "net: tanh hidden layer, softmax + cross-entropy (recognised from the loss)"
    assert "\nnet: " not in diagnose(core).text()
    assert diagnose(core).net == "relu,softmax_ce"


def test_net_given_overrides_recognition_and_says_so():
    report = diagnose(family.member("sigmoid,sigmoid_mse"), net="sigmoid,sigmoid_mse")
    assert (report.verdict, report.net, report.net_basis) == ("healthy", "sigmoid,sigmoid_mse", "given")
    assert "(given with --net)" in report.text()
    wrong = diagnose(family.member("tanh,softmax_ce"), net="relu,softmax_ce")
    assert wrong.verdict != "healthy" and wrong.net == "relu,softmax_ce"


def test_a_bad_net_is_a_value_error():
    with pytest.raises(ValueError, match="net must be ACT,HEAD"):
        diagnose(core, net="relu")


def test_a_loss_of_no_member_is_a_forward_finding_naming_the_nearest():
    class Offset:  # tanh + softmax, its loss off by a constant: the gradients are still tanh's
        def forward_loss(self, X, y, params):
            loss, cache = family.forward_loss(X, y, params, "tanh,softmax_ce")
            return loss + 0.25, cache

        def backward(self, cache, params):
            return family.backward(cache, params, "tanh,softmax_ce")

    report = diagnose(Offset(), seed=0)
    first = report.findings[0]
    assert (report.net, report.net_basis, first.passed, first.fault) == ("tanh,softmax_ce", "gradients", False,
                                                                        "forward_wrong")
    assert "; no member of the net family has this loss: the nearest is " in first.observed
    assert ", a relative difference of " in first.observed
    assert "(no member's loss matches; the gradients are this member's)" in report.text()


def test_report_json_carries_the_net_and_round_trips():
    report = diagnose(bugs.make_mutant(bugs.get("db2_scalar")))
    doc = json.loads(json.dumps(report.to_dict()))
    assert (doc["net"], doc["net_basis"]) == ("tanh,sigmoid_bce", "recognised from the loss")
    assert Report.from_dict(doc) == report


def test_a_naive_bce_log_is_a_caution_at_a_saturated_logit_and_an_epsilon_is_healthy():
    def subject(eps):
        class NaiveBCE:
            def forward_loss(self, X, y, params):
                _, cache = family.forward_loss(X, y, params, "relu,sigmoid_bce")
                s = 1 / (1 + np.exp(-cache["Z2"][:, 0]))
                return -np.mean(y * np.log(s + eps) + (1 - y) * np.log(1 - s + eps)), cache

            def backward(self, cache, params):
                return family.backward(cache, params, "relu,sigmoid_bce")
        return NaiveBCE()

    naive = diagnose(subject(0.0))
    assert (naive.verdict, [c.id for c in naive.cautions]) == ("healthy", ["log_no_eps"])
    assert [(r.verdict, r.cautions) for r in (diagnose(subject(1e-9), seed=s) for s in range(5))] == [("healthy", ())] * 5


def test_a_sigmoid_that_overflows_to_nan_is_unstable():
    class NanSigmoid:
        def forward_loss(self, X, y, params):
            loss, cache = family.forward_loss(X, y, params, "tanh,sigmoid_mse")
            S = np.exp(cache["Z2"]) / (1 + np.exp(cache["Z2"]))  # inf / inf at a large logit
            return np.mean(np.sum((S - np.eye(S.shape[1])[y]) ** 2, axis=1)), cache

        def backward(self, cache, params):
            return family.backward(cache, params, "tanh,sigmoid_mse")

    assert diagnose(NanSigmoid()).verdict == "unstable_sigmoid"


def test_run_core_net_and_check_net_on_the_command_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["run", "--bug", "core", "--net", "leaky_relu:0.1,sigmoid_mse"])
    assert result.exit_code == 0 and "net: leaky ReLU (slope 0.1) hidden layer, sigmoid + squared error " \
                                      "(given with --net)" in result.output
    path = tmp_path / "member.py"
    path.write_text(bugs.apply(bugs.get("sigmoid_grad_of_z")))
    checked = runner.invoke(main, ["check", str(path), "--net", "sigmoid,softmax_ce", "--json"])
    doc = json.loads(checked.stdout)
    assert (checked.exit_code, doc["verdict"], doc["net"], doc["net_basis"]) == (
        1, "sigmoid_grad_of_z", "sigmoid,softmax_ce", "given")
    bad = runner.invoke(main, ["check", str(path), "--net", "swish,softmax_ce"])
    assert bad.exit_code == 2 and "Invalid value for '--net'" in bad.stderr


def test_run_all_with_net_is_a_usage_error():
    result = CliRunner().invoke(main, ["run", "--all", "--net", "tanh,softmax_ce"])
    assert result.exit_code == 2 and "use it with --bug ID, not --all" in result.stderr


def test_float32_hidden_behind_float64_labels_is_named_by_its_rounding_noise():
    report = diagnose(Variant("tanh,sigmoid_bce", "float32"), seed=1)
    assert report.verdict == "float32" and report.stage == "gradient check"
    assert "the loss and gradients are float64, yet along one direction of" in report.text()


def test_default_member_reports_are_unchanged_in_shape():
    report = diagnose(bugs.make_mutant(bugs.get("missing_div_n")))
    assert report.text().splitlines()[1:3] == ["probe: seed 0, N=6 D=9 H=12 C=4; 44 forward calls",
                                               "1. shapes and types: ok"]
    assert dataclasses.replace(report, net=None, net_basis="").text() == report.text()


def test_readme_members_table_is_regenerated_exactly():
    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert members_markdown(range(20)) in readme


@pytest.mark.parametrize("spec", ["leaky_relu:0.02,softmax_ce", "leaky_relu:0.37,sigmoid_bce",
                                  "leaky_relu:0.15,sigmoid_mse,sum"])
def test_a_leaky_slope_off_the_list_is_solved_for_and_confirmed_by_the_gradients(spec):
    reports = [diagnose(family.member(spec), seed=s) for s in range(5)]
    assert [(r.verdict, r.net, r.net_basis) for r in reports] == [("healthy", spec, "recognised from the loss")] * 5
    assert max(r.forward_calls for r in reports) <= 44


def test_a_solved_slope_whose_layer_1_gradients_are_wrong_is_that_member_with_a_layer_1_fault():
    class SlopeMismatch:  # loss with slope 0.02, derivative with 0.04: the 0.02 net with a wrong derivative
        def forward_loss(self, X, y, params):
            return family.forward_loss(X, y, params, "leaky_relu:0.02,softmax_ce")

        def backward(self, cache, params):
            return family.backward(cache, params, "leaky_relu:0.04,softmax_ce")

    report = diagnose(SlopeMismatch())
    assert (report.verdict, report.net) == ("leaky_relu_backward_wrong", "leaky_relu:0.02,softmax_ce")
    assert "dZ2 recovered from dW2 and db2 equals (P - onehot(y)) / N" in report.text()
