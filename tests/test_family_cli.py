"""The net family on the command line: template --net, list's net column, run on a member fault or member core."""
import json

import pytest
from click.testing import CliRunner

import bugs
import core
from core import family
from diagnose.check.template import template_text, write_template
from diagnose.cli.main import main
from diagnose.mutants.runs import net_of, subject_for


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="diagnose")


@pytest.mark.parametrize("spec, words", [
    ("tanh,sigmoid_bce", ["A1 = tanh(Z1)", "sigmoid -> mean binary CE", "binary labels in {0, 1}", "W2 (H, 1), b2 (1,)",
                          "# TODO: dZ1 = dL/dZ1 through the tanh, (N, H)", "diagnose check net.py --net tanh,sigmoid_bce"]),
    ("leaky_relu:0.2,sigmoid_mse", ["A1 = LeakyReLU(Z1)", "the leaky ReLU (slope 0.2) of Z1",
                                    "sum_c (S[i, c] - onehot(y)[i, c])^2", "W2 (H, C)"]),
    ("sigmoid,softmax_ce", ["A1 = sigmoid(Z1)", "P, the softmax of Z2, (N, C)", "--net sigmoid,softmax_ce"]),
])
def test_template_net_writes_the_blank_for_that_member(tmp_path, spec, words):
    result = invoke("template", tmp_path / "net.py", "--net", spec)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "net.py").read_text()
    for w in words:
        assert w in text, w
    assert "def forward_loss(X, y, params):" in text and "def backward(cache, params):" in text


def test_template_for_the_default_member_is_todays_blank():
    assert template_text("net.py", "relu,softmax_ce") == template_text("net.py")
    assert "--net" not in template_text("net.py")


def test_template_asks_for_the_mean_whatever_the_convention():
    assert template_text("n.py", "tanh,sigmoid_mse,half_sum") == template_text("n.py", "tanh,sigmoid_mse")


def test_template_unknown_net_exits_2_naming_the_members(tmp_path):
    result = invoke("template", tmp_path / "net.py", "--net", "tanh,hinge")
    assert result.exit_code == 2 and not (tmp_path / "net.py").exists()
    assert "Invalid value for '--net': net must be ACT,HEAD" in result.stderr
    assert "HEAD one of softmax_ce, sigmoid_bce, sigmoid_mse" in result.stderr


def test_write_template_net_library_call(tmp_path):
    write_template(tmp_path / "a.py", net="sigmoid,sigmoid_bce")
    assert "A1 = sigmoid(Z1)" in (tmp_path / "a.py").read_text()


def test_list_json_carries_each_faults_member():
    doc = json.loads(invoke("list", "--json").stdout)
    assert {e["id"]: e["net"] for e in doc["faults"]} == {f.id: f.net for f in bugs.FAULTS}
    assert doc["faults"][-1]["net"] != "relu,softmax_ce"


def test_a_member_fault_runs_on_its_own_member():
    subject, expected = subject_for("db2_scalar")
    assert expected == "db2_scalar" and subject.NET == "tanh,sigmoid_bce" and net_of("db2_scalar") == "tanh,sigmoid_bce"
    assert subject_for("tanh_grad_from_a1")[1] == "healthy"


def test_the_core_of_a_member_is_its_reference_and_the_default_is_core_net():
    assert subject_for("core") == (core, "healthy") and subject_for("core", "relu,softmax_ce")[0] is core
    subject, expected = subject_for("core", "tanh,sigmoid_mse")
    assert subject == family.member("tanh,sigmoid_mse") and expected == "healthy"
    assert net_of("core") == "relu,softmax_ce" and net_of("core", "leaky_relu:0.2,softmax_ce") == "leaky_relu:0.2,softmax_ce"


def test_check_a_directory_with_net_judges_every_file_as_that_member(tmp_path):
    (tmp_path / "a.py").write_text(bugs.apply(bugs.get("sigmoid_grad_of_z")))
    (tmp_path / "b.py").write_text(bugs.apply(bugs.get("sigmoid_grad_on_relu")))
    result = invoke("check", tmp_path, "--net", "sigmoid,softmax_ce", "--jsonl")
    docs = {json.loads(line)["file"].split("/")[-1]: json.loads(line) for line in result.stdout.splitlines()}
    assert {name: (d["net"], d["net_basis"]) for name, d in docs.items()} == {
        "a.py": ("sigmoid,softmax_ce", "given"), "b.py": ("sigmoid,softmax_ce", "given")}
    assert docs["a.py"]["verdict"] == "sigmoid_grad_of_z" and docs["b.py"]["verdict"] != "healthy"


def test_a_member_faults_drill_file_names_its_member_in_the_neutral_header():
    from diagnose.practice.conceal import neutral_source
    from diagnose.practice.rounds import mutant_source

    text = neutral_source(mutant_source("db2_scalar"), "tanh,sigmoid_bce")
    assert text.startswith('"""A two-layer classifier: tanh hidden layer, sigmoid + binary cross-entropy.\n')
    assert "#" not in text and 'NET = "tanh,sigmoid_bce"' in text
