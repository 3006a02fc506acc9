"""The exhaustive elementwise check behind `run --full`, its heat map, and the flag itself."""
import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

import bugs
import core
from diagnose.cli.main import main
from diagnose.engine.full import (
    NOT_FINITE,
    RAMP,
    TensorErrors,
    bucket_chars,
    downsample,
    full_check,
    heatmap,
    n_params,
    numeric_gradients,
)
from diagnose.engine.probe import make_probe
from diagnose.engine.subject import Subject


def framed_rows(lines):
    """The characters between the frame's '|' bars, one string per row."""
    return [line.strip()[1:-1] for line in lines if line.strip().startswith("|")]


def one_bad_column(shape, column, bad, rng):
    """A tensor whose analytic gradient is off by a relative `bad` in one column only."""
    numeric = rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    analytic = numeric.copy()
    analytic[:, column] *= 1 + 2 * bad / (1 - bad)  # |a - n| / (|a| + |n|) = bad exactly
    return TensorErrors("W1", numeric, analytic)


def test_bucket_chars_one_character_per_decade_and_bang_for_nan():
    errors = [0.0, 3e-9, 3e-8, 3e-7, 3e-6, 3e-5, 3e-4, 3e-3, 3e-2, 0.3, np.nan, np.inf]
    assert "".join(bucket_chars(errors)) == RAMP + NOT_FINITE * 2


def test_heatmap_shows_the_one_bad_column_as_the_worst_character():
    rng = np.random.default_rng(0)
    tensor = one_bad_column((9, 12), column=5, bad=0.5, rng=rng)
    rows = framed_rows(heatmap(tensor))
    assert len(rows) == 9 and all(len(row) == 12 for row in rows)
    assert all(row[5] == RAMP[-1] for row in rows)
    assert all(set(row[:5] + row[6:]) == {RAMP[0]} for row in rows)


def test_heatmap_header_names_the_worst_entry_and_the_axes():
    rng = np.random.default_rng(1)
    lines = heatmap(one_bad_column((9, 12), column=7, bad=0.5, rng=rng))
    assert re.match(r"W1 9 x 12: max relative error 5\.0e-01 at \[\d, 7\]", lines[0])
    assert lines[1] == "  (rows: inputs, columns: hidden units)"


def test_downsampling_keeps_a_bad_column_visible():
    rng = np.random.default_rng(2)
    tensor = one_bad_column((784, 256), column=100, bad=3e-3, rng=rng)
    lines = heatmap(tensor)
    rows = framed_rows(lines)
    assert len(rows) <= 60 and len(rows[0]) <= 120
    assert "downsampled: each character is the worst of a 14 x 3 block" in lines[1]
    worst = bucket_chars([3e-3])[0]
    assert worst == "#"
    assert all(row[100 // 3] == worst for row in rows)
    assert all(set(row[: 100 // 3] + row[100 // 3 + 1:]) == {RAMP[0]} for row in rows)


def test_downsampling_keeps_a_single_nan_entry_as_the_worst():
    err = np.zeros((600, 600))
    err[599, 0] = np.nan
    grid, block = downsample(err)
    assert block == (10, 5) and grid.shape == (60, 120)
    assert np.isinf(grid[59, 0]) and np.count_nonzero(grid) == 1


def test_bias_is_drawn_as_one_row():
    rng = np.random.default_rng(3)
    g = rng.standard_normal(12)
    rows = framed_rows(heatmap(TensorErrors("b1", g, g.copy())))
    assert rows == [RAMP[0] * 12]


def test_full_check_on_the_core_every_entry_within_1e_6():
    check = full_check(core, make_probe(0))
    assert [t.name for t in check.tensors] == ["W1", "b1", "W2", "b2"]
    for tensor in check.tensors:
        assert tensor.errors.max() < 1e-6, tensor.name


def test_full_check_on_bad_relu_mask_fails_w1_and_passes_w2():
    check = full_check(bugs.make_mutant(bugs.get("bad_relu_mask")), make_probe(0))
    worst = {t.name: t.worst[1] for t in check.tensors}
    assert worst["W1"] > 0.1 and worst["b1"] > 0.1
    assert worst["W2"] < 1e-6 and worst["b2"] < 1e-6


def test_full_check_fails_a_gradient_scaled_by_1_001():
    class Scaled:  # the checker must be able to fail: every gradient off by 0.1%
        forward_loss = staticmethod(core.forward_loss)

        @staticmethod
        def backward(cache, params):
            return {k: 1.001 * g for k, g in core.backward(cache, params).items()}

    for tensor in full_check(Scaled, make_probe(0)).tensors:
        assert tensor.worst[1] == pytest.approx(0.001 / 2.001, rel=1e-3), tensor.name


def test_transposed_gradient_is_compared_after_undoing_the_transpose():
    check = full_check(bugs.make_mutant(bugs.get("dW2_transposed")), make_probe(0))
    W2 = check.tensors[2]
    assert W2.note == "compared after undoing dW2_transposed" and W2.worst[1] < 1e-6


def test_gradient_of_unusable_shape_is_not_compared():
    check = full_check(bugs.make_mutant(bugs.get("db2_wrong_axis")), make_probe(0))
    b2 = check.to_dict()["tensors"][3]
    assert b2["max_rel_error"] is None and "not compared" in b2["note"]


@pytest.mark.parametrize("shape", [(3, 2, 3, 2), (4, 5, 6, 3)])
def test_numeric_gradients_take_exactly_two_forward_calls_per_parameter(shape):
    probe = make_probe(0, shape)
    subject = Subject(core)
    numeric_gradients(subject, probe)
    assert subject.forward_calls == 2 * n_params(probe)


def test_full_check_takes_one_more_call_for_the_analytic_gradients():
    probe = make_probe(0, (3, 2, 3, 2))
    subject = Subject(core)
    check = full_check(subject, probe)
    assert check.forward_calls == subject.forward_calls == 2 * n_params(probe) + 1


def test_progress_hears_of_every_entry():
    probe = make_probe(0)
    told = []
    numeric_gradients(core, probe, progress=told.append)
    assert sum(told) == n_params(probe) == 172


def test_a_subject_that_raises_stops_the_full_check_with_its_message():
    class Breaks:
        calls = 0

        @classmethod
        def forward_loss(cls, X, y, params):
            cls.calls += 1
            if cls.calls > 5:
                raise RuntimeError("out of patience")
            return core.forward_loss(X, y, params)

        backward = staticmethod(core.backward)

    check = full_check(Breaks, make_probe(0))
    assert check.tensors == () and "RuntimeError: out of patience" in check.failure
    assert check.to_dict()["failure"] == check.failure


def invoke(*args):
    return CliRunner().invoke(main, list(args), prog_name="diagnose")


def test_run_full_prints_the_report_then_a_heat_map_per_tensor():
    result = invoke("run", "--bug", "bad_relu_mask", "--full")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("injected: bad_relu_mask; verdict right") < out.index("full elementwise check: 345 forward calls")
    for head in ("W1 9 x 12: max relative error 1.0e+00", "b1 12:", "W2 12 x 4:", "b2 4:"):
        assert head in out
    assert "|" + RAMP[-1] in out  # W1's row starts with a failing entry
    assert "relative error per entry:" in out
    assert "full elementwise check" in result.stderr  # the progress bar's label, on stderr


def test_run_full_json_puts_the_table_under_full_and_no_heat_map():
    result = invoke("run", "--bug", "bad_relu_mask", "--full", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    full = doc["full"]
    assert full["forward_calls"] == 345 and full["failure"] is None
    by_name = {t["tensor"]: t for t in full["tensors"]}
    assert by_name["W1"]["max_rel_error"] > 0.1 and len(by_name["W1"]["worst_index"]) == 2
    assert by_name["W2"]["max_rel_error"] < 1e-6
    assert "+---" not in result.stdout


def test_run_full_with_all_is_a_usage_error():
    result = invoke("run", "--all", "--full")
    assert result.exit_code == 2
    assert "--full" in result.stderr and "not --all" in result.stderr


def test_a_loss_that_is_no_scalar_stops_the_full_check():
    class RowLosses:
        @staticmethod
        def forward_loss(X, y, params):
            loss, cache = core.forward_loss(X, y, params)
            return np.full(X.shape[0], loss), cache

        backward = staticmethod(core.backward)

    check = full_check(RowLosses, make_probe(0))
    assert "the loss must be a scalar number, got ndarray (6,)" in check.failure


def test_nan_gradient_shows_as_bang_and_null_in_json():
    rng = np.random.default_rng(4)
    numeric = rng.standard_normal((3, 4))
    analytic = numeric.copy()
    analytic[1, 2] = np.nan
    tensor = TensorErrors("W2", numeric, analytic)
    rows = framed_rows(heatmap(tensor))
    assert rows[1][2] == NOT_FINITE and tensor.worst[0] == (1, 2)
    doc = tensor.to_dict()
    assert doc["max_rel_error"] is None and doc["analytic"] is None and doc["worst_index"] == [1, 2]
    json.dumps(doc, allow_nan=False)
