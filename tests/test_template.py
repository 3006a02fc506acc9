"""`diagnose template PATH`: a blank form-(a) implementation that `check` then grades."""
import ast

import pytest
from click.testing import CliRunner

import bugs
from bugs.mutant import core_source, function_source, function_span
from diagnose.check.isolate import check_file
from diagnose.cli.main import main
from diagnose.check.template import write_template


def filled(template, source):
    """The template with forward_loss and backward replaced by those of `source` (core or a mutant)."""
    for name in ("forward_loss", "backward"):
        start, end = function_span(template, name)
        template = template[:start] + function_source(source, name) + template[end:]
    return "from core.validate import validate_inputs\n" + template  # the core's forward_loss calls it


def signatures(text):
    """{function name: [argument names]} of the top-level functions."""
    return {node.name: [a.arg for a in node.args.args] for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef)}


def test_template_has_the_form_a_signatures(tmp_path):
    path = write_template(tmp_path / "my_net.py")
    text = (tmp_path / "my_net.py").read_text()
    assert str(path) == str(tmp_path / "my_net.py")
    assert signatures(text) == {"forward_loss": ["X", "y", "params"], "backward": ["cache", "params"]}
    assert "diagnose check my_net.py" in text and text.count("# TODO") >= 10


def test_blank_template_is_graded_as_not_written_yet(tmp_path):
    path = write_template(tmp_path / "my_net.py")
    result = check_file(path)
    failure = result.report.failure
    assert result.exit_code == 1
    assert (failure.call, failure.message) == ("forward_loss",
                                               "NotImplementedError: forward_loss: compute the loss and the cache")
    assert f'File "{path}"' in failure.trace[0]


def test_template_filled_with_the_core_is_healthy(tmp_path):
    path = write_template(tmp_path / "my_net.py")
    (tmp_path / "my_net.py").write_text(filled((tmp_path / "my_net.py").read_text(), core_source()))
    result = check_file(path)
    assert (result.report.verdict, result.exit_code) == ("healthy", 0)


def test_template_filled_with_a_checklist_mistake_names_it(tmp_path):
    path = write_template(tmp_path / "my_net.py")
    mutant = bugs.apply(bugs.get("missing_div_n"))
    (tmp_path / "my_net.py").write_text(filled((tmp_path / "my_net.py").read_text(), mutant))
    assert check_file(path).report.verdict == "missing_div_n"


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    target = tmp_path / "mine.py"
    target.write_text("my work\n")
    with pytest.raises(FileExistsError, match="use --force"):
        write_template(target)
    assert target.read_text() == "my work\n"
    write_template(target, force=True)
    assert "def backward(cache, params):" in target.read_text()


def test_directory_and_missing_parent_are_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_template(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such directory"):
        write_template(tmp_path / "missing" / "net.py")


def test_template_command_writes_then_refuses_then_forces(tmp_path):
    target = tmp_path / "net.py"
    runner = CliRunner()
    first = runner.invoke(main, ["template", str(target)])
    assert first.exit_code == 0 and f"diagnose check {target}" in first.stdout
    second = runner.invoke(main, ["template", str(target)])
    assert second.exit_code == 1 and second.stderr == f"Error: {target} exists; use --force to overwrite it\n"
    assert runner.invoke(main, ["template", "--force", str(target)]).exit_code == 0
