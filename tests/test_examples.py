"""The recipes in examples/: every family's file, correct and faulty, gets its verdict through `diagnose check`.

Each example is the person's unchanged code plus an adapter of under 15 lines; the
faulty twin differs by one typical mistake of that family. A fault the engine can name
is named; a fault only the adapter can see (a bias of the wrong shape, an update that
uses weights it has already changed) is one line with exit 1.
"""
import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagnose.check.isolate import check_file
from diagnose.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ADAPTER_MARK = "# --- adapter for `diagnose check`"

# file -> the verdict (a fault id or "healthy"), or the start of the one-line error
VERDICTS = {
    "rows_functions.py": "healthy",
    "rows_functions_fault.py": "missing_div_n",
    "columns_functions.py": "healthy",
    "class_stores_grads.py": "healthy",
    "class_stores_grads_fault.py": "dW2_uses_Z1",
    "class_updates_in_place.py": "healthy",
    "layer_objects.py": "healthy",
    "layer_objects_fault.py": "missing_div_n",
    "per_sample.py": "healthy",
    "per_sample_fault.py": "relu_no_mask",
}
ERRORS = {
    "columns_functions_fault.py": "columns_functions_fault.py: loss_and_grads returned db1 of shape (12,) for b1 of "
                                  "shape (12, 1): `b1 = b1 - lr * db1` broadcasts to (12, 12); sum with keepdims=True",
    "class_updates_in_place_fault.py": "class_updates_in_place_fault.py: step: (before - after) / lr of W1, b1 differs "
                                       "between lr=1 and lr=0.5",
}


def test_every_example_file_has_an_expected_verdict():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted([*VERDICTS, *ERRORS])


def test_every_family_has_a_correct_and_a_faulty_version():
    names = {p.stem for p in EXAMPLES.glob("*.py")}
    correct = {n for n in names if not n.endswith("_fault")}
    assert len(correct) == 6 and {f"{n}_fault" for n in correct} == names - correct


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_example_gets_its_verdict_through_check(name):
    result = check_file(EXAMPLES / name)
    assert result.error is None and result.form == "c"
    assert result.report.verdict == VERDICTS[name]
    assert result.exit_code == (0 if VERDICTS[name] == "healthy" else 1)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_fault_only_the_adapter_sees_is_one_line_with_exit_1(name):
    result = check_file(EXAMPLES / name)
    assert result.report is None and result.exit_code == 1
    assert result.error.startswith(ERRORS[name]) and "\n" not in result.error


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_adapter_is_under_15_lines_after_the_unchanged_code(name):
    text = (EXAMPLES / name).read_text()
    assert text.count(ADAPTER_MARK) == 1
    adapter = text.split(ADAPTER_MARK)[1].splitlines()[1:]
    code = [line for line in adapter if line.strip()]
    assert len(code) < 15
    assert "import diagnose" not in text.split(ADAPTER_MARK)[0]  # the person's own code knows nothing of the tool
    assert "from diagnose" not in text.split(ADAPTER_MARK)[0]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*_fault.py")))
def test_faulty_twin_differs_from_the_correct_file_only_above_the_adapter(name):
    fault = (EXAMPLES / name).read_text().split(ADAPTER_MARK)
    correct = (EXAMPLES / name.replace("_fault", "")).read_text().split(ADAPTER_MARK)
    assert fault[1] == correct[1] and fault[0] != correct[0]
    ast.parse(fault[0])


def test_check_command_prints_the_columns_fault_as_one_error_line():
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "columns_functions_fault.py")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + ERRORS["columns_functions_fault.py"])
    assert result.output.count("\n") == 1


def test_check_command_on_the_layer_objects_recipe_is_healthy():
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "layer_objects.py")])
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == ["layer_objects.py: form (c), loss_and_grads", "verdict: healthy"]
