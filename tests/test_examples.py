"""The recipes in examples/: every family's file, correct and faulty, gets its verdict through `diagnose check`.

Each example is the person's unchanged code plus an adapter of under 15 lines; the
faulty twin differs by one typical mistake of that family. A fault the engine can name
is named; a fault only the adapter can see (a bias of the wrong shape, an update that
uses weights it has already changed) is one line with exit 1.
"""
import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagnose.check.adapter_templates import FAMILIES
from diagnose.check.isolate import check_file
from diagnose.check.template import write_template
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
    lines = result.output.splitlines()
    assert lines[0] == "layer_objects.py: form (c), loss_and_grads" and lines[1].startswith("verdict: healthy")


# -- `diagnose template PATH --form NAME`: the blank adapter of each family ------------------------

FAMILY_EXAMPLE = {"rows-functions": "rows_functions", "columns-functions": "columns_functions",
                  "class-updates-in-place": "class_updates_in_place", "layer-objects": "layer_objects",
                  "per-sample": "per_sample"}


def filled(text):
    """The blank adapter with every '# TODO: ' code line uncommented and the NotImplementedError removed."""
    lines = [line.replace("# TODO: ", "", 1) for line in text.splitlines() if "raise NotImplementedError" not in line]
    return "\n".join(lines) + "\n"


def test_there_is_a_blank_adapter_for_each_family_with_a_recipe():
    assert set(FAMILIES) == set(FAMILY_EXAMPLE)


@pytest.mark.parametrize("form", FAMILIES)
def test_blank_adapter_is_graded_as_not_filled_in_yet(tmp_path, form):
    path = write_template(tmp_path / "adapter.py", form=form)
    result = check_file(path)
    assert result.exit_code == 1 and result.report.verdict == "error"
    assert result.report.failure.message == "NotImplementedError: loss_and_grads: fill in the TODOs of this adapter"
    assert f'File "{path}"' in result.report.failure.trace[0]


@pytest.mark.parametrize("form", FAMILIES)
@pytest.mark.parametrize("suffix", ["", "_fault"])
def test_blank_adapter_filled_in_over_the_recipes_code_gets_the_recipes_verdict(tmp_path, form, suffix):
    example = FAMILY_EXAMPLE[form] + suffix + ".py"
    (tmp_path / "my_net.py").write_text((EXAMPLES / example).read_text())
    path = tmp_path / "adapter.py"
    write_template(path, form=form)
    path.write_text(filled(path.read_text()))
    result = check_file(path)
    if example in ERRORS:
        assert result.exit_code == 1 and result.error.startswith("adapter.py: " + ERRORS[example].split(": ", 1)[1])
    else:
        assert (result.report.verdict, result.exit_code) == (VERDICTS[example], 0 if not suffix else 1)


def test_template_command_writes_the_blank_adapter_of_a_family(tmp_path):
    path = tmp_path / "adapter.py"
    result = CliRunner().invoke(main, ["template", str(path), "--form", "layer-objects"])
    assert result.exit_code == 0
    assert result.output == (f"wrote {path}: fill in the TODOs (your module and names), then run: "
                             f"diagnose check {path}\n")
    assert "# TODO: adapt.assign(net.params, params)" in path.read_text()
    assert "diagnose check adapter.py" in path.read_text()


def test_template_command_refuses_an_unknown_family_with_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["template", str(tmp_path / "a.py"), "--form", "inline-script"])
    assert result.exit_code == 2 and "'inline-script' is not one of 'rows-functions'" in result.output
    assert not (tmp_path / "a.py").exists()


def readme_recipe_rows():
    """(recipe file, the adapter snippets, the fault column) of each row of the README's recipe table."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    section = readme.split("## Check code shaped like yours", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| ") and "examples/" in line]
    return [(re.search(r"examples/(\w+\.py)", r[1]).group(1), re.findall(r"`([^`]+)`", r[2]), r[3].strip(" |"))
            for r in rows]


def test_readme_table_has_one_row_per_recipe_and_quotes_its_adapter_lines_exactly():
    rows = readme_recipe_rows()
    recipes = sorted(p.name for p in EXAMPLES.glob("*.py") if "_fault" not in p.name)
    assert sorted(name for name, _, _ in rows) == recipes
    for name, snippets, fault in rows:
        text = (EXAMPLES / name).read_text()
        assert snippets and all(snippet in text for snippet in snippets), name
        expected = VERDICTS.get(name.replace(".py", "_fault.py"))
        assert fault == (f"`{expected}`" if expected else fault) and (expected or "exit 1" in fault)
