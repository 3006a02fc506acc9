"""The benchmark script runs and judges itself; at MNIST scale a diagnosis stays within its call budget.

Forward calls are counted, never timed: a timed assertion fails on a loaded machine, not on slow code.
"""
import importlib.util
import pathlib
import subprocess
import sys

import pytest

import bugs
from core.family import MEMBERS
from diagnose.mutants.runs import CORE, run_one

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "run.py"
MNIST = (64, 784, 256, 10)
MAX_CALLS = 60
CHECKLIST = [f.id for f in bugs.by_kind(bugs.Kind.CHECKLIST)]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_quick_exits_0_with_a_row_for_every_catalog_id_and_the_core():
    done = subprocess.run([sys.executable, str(BENCH), "--quick"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[2] for line in done.stdout.splitlines() if line.startswith("6,9,12,4 ")}
    members = {f"{CORE}@{net}" for net in MEMBERS if str(net) != "relu,softmax_ce"}
    assert rows == {*bugs.CATALOG, CORE, *members}
    n = len(bugs.CATALOG) + 1 + len(members)
    assert f"[ok] every verdict right ({n}/{n})" in done.stdout
    assert f"[ok] every diagnosis within {MAX_CALLS} forward calls" in done.stdout


def test_side_by_side_counts_two_calls_per_parameter_plus_one_for_the_loop():
    bench = load_bench()
    lines, row = bench.side_by_side((6, 9, 12, 4), 0, fwd_mb=0.01)
    loop = next(line for line in lines if "core.grad_check" in line)
    assert loop.split()[3] == "345"  # 2 x 172 parameters + the forward for the analytic gradients
    assert row.right and row.calls <= MAX_CALLS


def test_bench_exits_1_when_a_verdict_is_wrong(monkeypatch):
    bench = load_bench()
    monkeypatch.setattr(bench, "subject_for",
                        lambda bug_id, net=None: (bugs.make_mutant(bugs.get("missing_div_n")), "healthy"))
    assert bench.main(["--quick"]) == 1


@pytest.mark.parametrize("bug_id", [*CHECKLIST, CORE])
def test_at_mnist_scale_a_diagnosis_is_right_within_60_forward_calls(bug_id):
    row = run_one(bug_id, seed=0, shape=MNIST)
    assert row.report.verdict == row.expected
    assert row.report.forward_calls <= MAX_CALLS
