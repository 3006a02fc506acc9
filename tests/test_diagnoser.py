"""The diagnoser names every catalogued fault from behaviour alone, and nothing in a healthy net."""
import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner

import bugs
import core
from diagnose import diagnose
from diagnose.cli.main import main
from core.family import MEMBERS
from diagnose.mutants.runs import run_all

SEEDS = range(50)
CAUTION_ONLY = {"log_no_eps"}  # faults whose only effect is a caution: healthy, with that caution
# faults whose code is fragile too: the Jacobian's diagonal divides by P, which is 0 at a confidently wrong logit
ALSO_CAUTIONED = {"softmax_jacobian_diagonal": ("grads_nonfinite_saturated",)}
EXPECTED = {f.id: ("healthy" if f.kind == bugs.Kind.EQUIVALENT or f.id in CAUTION_ONLY else f.id) for f in bugs.FAULTS}


def wrong_verdicts(subject, expected, seeds=SEEDS, cautions=()):
    """(seed, verdict, cautions) for every seed where the verdict or the cautions are not the expected ones."""
    seen = [(s, r.verdict, tuple(c.id for c in r.cautions)) for s in seeds if (r := diagnose(subject, seed=s))]
    return [row for row in seen if row[1:] != (expected, tuple(cautions))]


@pytest.mark.parametrize("fault", [f for f in bugs.by_kind(bugs.Kind.CHECKLIST, bugs.Kind.EXTENDED)
                                   if f.id not in CAUTION_ONLY], ids=lambda f: f.id)
def test_every_fault_is_named_on_50_seeds(fault):
    assert wrong_verdicts(bugs.make_mutant(fault), fault.id, cautions=ALSO_CAUTIONED.get(fault.id, ())) == []


@pytest.mark.parametrize("fault_id", sorted(CAUTION_ONLY))
def test_a_caution_only_fault_is_healthy_with_its_caution_on_50_seeds(fault_id):
    assert wrong_verdicts(bugs.make_mutant(bugs.get(fault_id)), "healthy", cautions=(fault_id,)) == []


@pytest.mark.parametrize("fault", bugs.by_kind(bugs.Kind.EQUIVALENT), ids=lambda f: f.id)
def test_equivalent_mutants_are_healthy_on_50_seeds(fault):
    assert wrong_verdicts(bugs.make_mutant(fault), "healthy") == []


def test_core_is_healthy_on_50_seeds():
    assert wrong_verdicts(core, "healthy") == []


CHECKLIST_PAIRS = list(itertools.combinations(bugs.by_kind(bugs.Kind.CHECKLIST), 2))


@pytest.mark.parametrize("a,b", CHECKLIST_PAIRS, ids=lambda f: f.id)
def test_two_checklist_faults_are_both_named(a, b):
    missed = [(s, r.faults) for s in range(10)
              if set((r := diagnose(bugs.make_mutant(a, b), seed=s)).faults) != {a.id, b.id}]
    assert missed == []


def test_first_failing_stage_follows_the_interview_order():
    stages = {fid: diagnose(bugs.make_mutant(bugs.get(fid))).stage
              for fid in ("dW2_transposed", "no_copy", "unstable_softmax", "float32", "missing_div_n")}
    assert stages == {"dW2_transposed": "shapes and types", "no_copy": "purity", "unstable_softmax": "stability",
                      "float32": "precision", "missing_div_n": "gradient check"}


@pytest.mark.parametrize("fault", bugs.FAULTS, ids=lambda f: f.id)
def test_forward_calls_stay_within_60(fault):
    report = diagnose(bugs.make_mutant(fault), seed=3)
    assert 0 < report.forward_calls <= 60


# -- the engine's stages on hand-made subjects, not through the catalog ---------------------

class Scaled:
    """core's gradients times factor(N): a hand-made constant-ratio fault."""

    def __init__(self, factor):
        self.factor = factor

    forward_loss = staticmethod(core.forward_loss)

    def backward(self, cache, params):
        N = cache["X"].shape[0]
        return {k: g * self.factor(N) for k, g in core.backward(cache, params).items()}


def test_gradient_scaled_by_n_is_missing_div_n_and_the_ratio_is_n():
    report = diagnose(Scaled(lambda N: N), seed=1)
    assert report.verdict == "missing_div_n"
    assert all(r == pytest.approx(6, rel=1e-6) for r in report.ratios.values())


def test_gradient_scaled_by_a_constant_that_ignores_n_is_not_missing_div_n():
    report = diagnose(Scaled(lambda N: 6.0), seed=1)  # 6 == N at the default probe, but not at N/2
    assert report.verdict == "constant_factor"


def test_gradient_scaled_by_1_001_fails_the_check():
    report = diagnose(Scaled(lambda N: 1.001), seed=2)
    assert report.verdict != "healthy"
    assert min(report.errors.values()) > 1e-4


def own_forward(X, y, params):
    """A forward pass in another style: one-hot matrix, log-softmax."""
    hidden = X @ params["W1"] + params["b1"]
    act = np.where(hidden > 0, hidden, 0.0)
    logits = act @ params["W2"] + params["b2"]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    Y = np.eye(logits.shape[1])[y]
    return -(Y * log_probs).sum() / len(X), (X, Y, hidden, act, np.exp(log_probs))


def masked_backward(mask):
    """backward in the same style, with the ReLU backward given by mask(hidden, act, d_act)."""
    def backward(cache, params):
        X, Y, hidden, act, probs = cache
        d_logits = (probs - Y) / len(X)
        d_act = d_logits @ params["W2"].T
        d_hidden = d_act * mask(hidden, act, d_act)
        return {"W1": X.T @ d_hidden, "b1": d_hidden.sum(0), "W2": act.T @ d_logits, "b2": d_logits.sum(0)}
    return backward


class Handmade:
    def __init__(self, mask):
        self.forward_loss, self.backward = own_forward, masked_backward(mask)


@pytest.mark.parametrize("mask,expected", [
    (lambda h, a, d: h > 0, "healthy"),
    (lambda h, a, d: h <= 0, "relu_mask_inverted"),
    (lambda h, a, d: d > 0, "bad_relu_mask"),
    (lambda h, a, d: 1.0, "relu_no_mask"),
    (lambda h, a, d: a, "relu_times_activation"),
], ids=["correct", "inverted", "grad_sign", "none", "times_activation"])
def test_isolation_names_which_mask_a_handmade_dZ1_used(mask, expected):
    assert [diagnose(Handmade(mask), seed=s).verdict for s in range(5)] == [expected] * 5


def test_a_tuple_cache_is_fingerprinted_for_purity():
    def writes_cache(cache, params):
        grads = masked_backward(lambda h, a, d: h > 0)(cache, params)
        cache[4][:] = 0.0  # edits probs inside the tuple in place
        return grads
    subject = type("S", (), {"forward_loss": staticmethod(own_forward), "backward": staticmethod(writes_cache)})
    report = diagnose(subject)
    assert report.verdict == "no_copy"
    assert "cache[4]" in report.text()


class Fused:
    """A subject with loss_and_grads only: no cache to inspect."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def loss_and_grads(self, X, y, params):
        loss, cache = core.forward_loss(X, y, params)
        return loss, {k: self.scale * g for k, g in core.backward(cache, params).items()}


def test_fused_subject_is_diagnosed_and_says_what_it_could_not_check():
    healthy, faulty = diagnose(Fused()), diagnose(Fused(scale=-1.0))
    assert healthy.verdict == "healthy" and faulty.verdict == "sign_flipped"
    assert any("cache purity" in item for item in healthy.skipped)


def test_subject_exception_is_reported_with_its_own_traceback_and_stage():
    def backward(cache, params):
        raise ZeroDivisionError("my bug")
    subject = type("S", (), {"forward_loss": staticmethod(core.forward_loss), "backward": staticmethod(backward)})
    report = diagnose(subject)
    assert report.verdict == "error" and report.failure.call == "backward"
    assert report.failure.message == "ZeroDivisionError: my bug"
    assert any("raise ZeroDivisionError" in line for line in report.failure.trace)
    assert not any("diagnose/engine/" in line for line in report.failure.trace)


def test_grads_returned_as_a_tuple_are_named_grads_not_dict_in_stage_1():
    def backward(cache, params):
        return tuple(core.backward(cache, params).values())
    subject = type("S", (), {"forward_loss": staticmethod(core.forward_loss), "backward": staticmethod(backward)})
    report = diagnose(subject)
    assert (report.verdict, report.stage, report.failure) == ("grads_not_dict", "shapes and types", None)
    assert "   - the gradients are a tuple ((array([[" in report.text()
    assert "not a dict with keys W1, b1, W2, b2" in report.text()


def test_the_engine_never_changes_its_reference_arrays():
    from diagnose.engine.probe import make_probe

    before = make_probe(0)
    diagnose(bugs.make_mutant(bugs.get("update_before_check")), seed=0)
    diagnose(bugs.make_mutant(bugs.get("no_copy")), seed=0)
    after = make_probe(0)
    assert all(np.array_equal(before.params[k], after.params[k]) for k in before.params)


# -- the report -------------------------------------------------------------------------------

def test_report_text_and_json_come_from_the_same_object():
    report = diagnose(bugs.make_mutant(bugs.get("missing_div_n")))
    doc = json.loads(json.dumps(report.to_dict()))
    assert doc["verdict"] == report.verdict == "missing_div_n"
    assert doc["forward_calls"] == report.forward_calls
    assert doc["ratios"]["W1"] == pytest.approx(6.0)
    assert f"verdict: {report.verdict}" in report.text()
    assert all(line.split(":")[0] in report.text() for line in doc["evidence"])


@pytest.mark.parametrize("fault", bugs.by_kind(bugs.Kind.CHECKLIST), ids=lambda f: f.id)
def test_observations_text_does_not_give_the_verdict_away(fault):
    report = diagnose(bugs.make_mutant(fault))
    hidden = report.observations_text()
    assert f"[{fault.id}]" not in hidden and "=>" not in hidden  # the meanings name the fault
    assert "verdict" not in hidden and "fix:" not in hidden
    assert fault.id == "float32" or fault.id not in hidden  # float32 may show up as an observed dtype


def test_same_seed_same_report():
    subject = bugs.make_mutant(bugs.get("bad_relu_mask"))
    assert diagnose(subject, seed=7).to_dict() == diagnose(subject, seed=7).to_dict()


# -- the command line -----------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_run_bug_prints_the_report_and_exits_0_when_right():
    result = invoke("run", "--bug", "missing_div_n")
    assert result.exit_code == 0
    assert "verdict: missing_div_n" in result.output and "at N = 3 it is 3.0000" in result.output


def test_run_bug_core_json_is_one_document():
    result = invoke("run", "--bug", "core", "--json")
    doc = json.loads(result.output)
    assert result.exit_code == 0 and doc["verdict"] == "healthy" and doc["right"] is True


def test_run_all_json_rows_are_all_right():
    result = invoke("run", "--all", "--json")
    doc = json.loads(result.output)
    assert {(row["bug"], row["net"]) for row in doc["rows"]} == {*((f.id, f.net) for f in bugs.FAULTS),
                                                                 *(("core", str(n)) for n in MEMBERS)}
    assert set(doc["rows"][0]) == {"bug", "net", "expected", "expected_caution", "verdict", "faults", "cautions",
                                   "stage", "right", "forward_calls", "ms"}
    assert result.exit_code == 0 and doc["all_right"] is True


def test_run_exits_1_when_a_verdict_is_wrong(monkeypatch):
    import diagnose.mutants.runs as runs

    monkeypatch.setattr(runs, "subject_for", lambda bug_id, net=None: (core, "missing_div_n"))
    result = invoke("run", "--bug", "missing_div_n")
    assert result.exit_code == 1 and "verdict WRONG" in result.output


@pytest.mark.parametrize("args", [["run", "--bug", "nope"], ["run"], ["run", "--bug", "core", "--all"],
                                  ["run", "--bug", "core", "--shape", "6,9"]])
def test_run_usage_errors_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_run_all_library_function_matches_expected_ids():
    rows = run_all(seed=5)
    assert [(r.bug, r.expected) for r in rows] == [*EXPECTED.items(), *[("core", "healthy")] * len(MEMBERS)]
    assert [r.net for r in rows[-len(MEMBERS):]] == [str(n) for n in MEMBERS]
    assert all(r.right for r in rows)


def test_the_engine_never_imports_the_catalog():
    import subprocess
    import sys

    code = ("import sys, core; from diagnose import diagnose; diagnose(core); "
            "assert not any(m == 'bugs' or m.startswith('bugs.') for m in sys.modules), 'bugs imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_epsilon_inside_the_log_is_no_fault():
    """log(P + 1e-8), as many people (and the design note) write it, must not raise an alarm."""
    def forward_loss(X, y, params):
        loss, cache = core.forward_loss(X, y, params)
        P = cache["P"]
        return -np.mean(np.log(P[np.arange(len(y)), y] + 1e-8)), cache
    subject = type("S", (), {"forward_loss": staticmethod(forward_loss), "backward": staticmethod(core.backward)})
    assert [diagnose(subject, seed=s).verdict for s in range(20)] == ["healthy"] * 20
