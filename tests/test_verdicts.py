"""Verdicts on code written outside this project: faults vs cautions, the right place to blame,
unusable output named, and every printed claim true of what was observed.

The subjects are hand-written (tests/handwritten.py and below), not mutants of core.
"""
import json

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
        assert "  log_no_eps (in forward_loss): compute log-softmax directly" in report.text()


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
    assert report.text().startswith("verdict: relu_times_activation — a bad ReLU mask (checklist 4)")
    doc = report.to_dict()
    assert doc["family"] == "checklist 4" and doc["families"] == {"relu_times_activation": "checklist 4"}
    assert doc["blame"] == {"function": "backward", "tensors": []}
