"""Options checked at the door: one-line usage errors with exit 2, and one JSON document per
outcome under --json (errors included), never a traceback."""
import json

import pytest
from click.testing import CliRunner

from diagnose.cli.main import main
from handwritten import LOSS_AND_GRADS


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="diagnose")


@pytest.fixture
def net(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(LOSS_AND_GRADS, encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [
    ["run", "--bug", "core", "--seed", "-1"],
    ["run", "--all", "--seed", "-5"],
    ["run", "--bug", "core", "--seed", str(2**32)],
    ["drill", "--seed", "-1"],
    ["check", "NET", "--seed", "-1"],
], ids=["run", "run_all", "too_big", "drill", "check"])
def test_a_seed_outside_0_to_2_to_the_32_is_a_one_line_usage_error(args, net):
    result = invoke(*[net if a == "NET" else a for a in args])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: Invalid value for '--seed': ")
    assert "is not in the range 0<=x<=4294967295." in result.stderr and result.stderr.count("\n") == 1


def test_the_largest_seed_is_accepted():
    assert invoke("run", "--bug", "core", "--seed", 2**32 - 1).exit_code == 0


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "0", "-1", "abc"])
def test_a_timeout_that_is_no_time_limit_is_a_one_line_usage_error(value, net):
    result = invoke("check", net, "--timeout", value)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: Invalid value for '--timeout': ") and result.stderr.count("\n") == 1
    assert "expected a number of seconds greater than 0 and at most 86400" in result.stderr


@pytest.mark.parametrize("command", [["run", "--bug", "core"], ["check", "NET"]])
@pytest.mark.parametrize("shape, words", [
    ("100000,100000,10,10", "is too big: each of N*D, D*H, N*H, H*C and N*C may be at most 1,000,000 entries"),
    ("1,1,1,1", "shape must be N,D,H,C with N >= 2, C >= 2 and D, H >= 1"),
    ("2,3,1,2", "take more hidden units (H) or another seed"),
])
def test_a_shape_too_big_or_degenerate_is_a_usage_error_stating_the_limits(command, shape, words, net):
    result = invoke(*[net if a == "NET" else a for a in command], "--shape", shape)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and words in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("args, code, kind, words", [
    (["check", "missing.py", "--json"], 2, "usage", "does not exist"),
    (["check", "NET", "--json", "--shape", "100000,100000,10,10"], 2, "usage", "is too big"),
    (["check", "NET", "--json", "--timeout", "0"], 2, "usage", "greater than 0 and at most 86400"),
    (["run", "--bug", "core", "--json", "--seed", "-1"], 2, "usage", "--seed"),
    (["run", "--json"], 2, "usage", "give exactly one of --bug ID or --all"),
    (["list", "--json", "--bogus"], 2, "usage", "No such option '--bogus'"),
])
def test_with_json_an_error_is_one_json_document_with_the_same_exit_code(args, code, kind, words, net):
    result = invoke(*[net if a == "NET" else a for a in args])
    doc = json.loads(result.stdout)
    assert result.exit_code == code and doc["error"]["kind"] == kind and words in doc["error"]["message"]
    assert result.stderr == ""


def test_with_json_a_file_that_cannot_be_used_is_a_usage_error_document(tmp_path):
    path = tmp_path / "other.py"
    path.write_text("def train(X, y):\n    return 0\n", encoding="utf-8")
    result = invoke("check", path, "--json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 2 == doc["exit_code"]
    assert doc["error"]["kind"] == "usage" and "fits none of the three forms" in doc["error"]["message"]


def test_with_json_a_file_that_loops_is_a_subject_error_document(tmp_path):
    path = tmp_path / "loops.py"
    path.write_text("while True:\n    pass\n", encoding="utf-8")
    result = invoke("check", path, "--json", "--timeout", "1")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and doc["error"]["kind"] == "subject"
    assert "did not finish in 1 s" in doc["error"]["message"]


def test_with_json_an_internal_error_is_a_document_too(monkeypatch):
    import importlib

    cli = importlib.import_module("diagnose.cli.main")  # the package's `main` attribute is the click group

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")
    monkeypatch.setattr(cli, "run_one", broken)
    result = invoke("run", "--bug", "core", "--json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and doc["error"]["kind"] == "internal"
    assert doc["error"]["message"].startswith("ZeroDivisionError: oops")


def test_with_json_an_interrupted_run_is_still_one_document(monkeypatch):
    import importlib

    cli = importlib.import_module("diagnose.cli.main")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "run_one", interrupted)
    result = invoke("run", "--bug", "core", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": {"kind": "interrupted",
                                                   "message": "stopped before the end (Ctrl-C or end of input)"}}
    assert "Aborted" in invoke("run", "--bug", "core").output  # without --json, click's own line


def test_an_option_taken_as_the_csv_file_name_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "net.py").write_text(LOSS_AND_GRADS, encoding="utf-8")
    result = invoke("check", "--csv", "--json", "net.py")
    assert result.exit_code == 2 and "looks like an option" in json.loads(result.stdout)["error"]["message"]
    assert not (tmp_path / "--json").exists()


@pytest.mark.parametrize("spelled, canonical", [
    ("MISSING_DIV_N", "missing_div_n"), ("dw2_TRANSPOSED", "dW2_transposed"), ("Core", "core")])
def test_bug_ids_are_case_insensitive(spelled, canonical):
    result = invoke("run", "--bug", spelled)
    assert result.exit_code == 0 and f"injected: {canonical}" in result.stdout


def test_an_unknown_bug_lists_the_ids_as_spelled():
    result = invoke("run", "--bug", "nope")
    assert result.exit_code == 2 and "'dW2_transposed'" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "3"])
def test_the_engine_refuses_a_seed_out_of_range_in_one_clear_line(seed):
    import core
    from diagnose import diagnose
    from diagnose.engine.probe import ProbeError

    with pytest.raises(ProbeError, match=r"seed must be an integer with 0 <= seed < 2\*\*32, got "):
        diagnose(core, seed=seed)
