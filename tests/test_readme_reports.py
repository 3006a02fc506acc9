"""Every report the README shows is regenerated from the tool here and compared, so none goes stale.

A README block marked `<!-- generated: KEY -->` must equal what GENERATORS[KEY] prints;
one marked `<!-- generated (lines of): KEY -->` holds lines cut from it, each of which must
appear in it. `python tests/test_readme_reports.py` rewrites the full blocks in place.
"""
import pathlib
import re
import sys

from click.testing import CliRunner

import bugs
from diagnose.cli.main import main
from handwritten import CLASS_NET, LOSS_AND_GRADS, variant

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
MARKED = re.compile(r"<!-- generated( \(lines of\))?: (.+?) -->\n```\n(.*?)```\n", re.S)

# A TwoLayerNet whose loss penalises W2 while dW2 forgets the penalty.
CLASS_WITHOUT_W2_PENALTY = variant(CLASS_NET, 'grads["W2"] = a1.T.dot(dscores) + 2 * reg * W2',
                                   'grads["W2"] = a1.T.dot(dscores)')


def stdout_of(*args):
    """What `diagnose ARGS` prints on stdout."""
    return CliRunner().invoke(main, list(args), prog_name="diagnose").stdout


def run_missing_div_n(tmp_path):
    return stdout_of("run", "--bug", "missing_div_n")


def check_with_caution(tmp_path):
    (tmp_path / "net.py").write_text(LOSS_AND_GRADS, encoding="utf-8")
    return stdout_of("check", "net.py")


def template_then_check(tmp_path):
    wrote = stdout_of("template", "my_net.py")
    (tmp_path / "my_net.py").write_text(bugs.apply(bugs.get("bad_relu_mask")), encoding="utf-8")
    return ("$ diagnose template my_net.py          # a blank form (a) with TODOs; --force overwrites\n" + wrote
            + "$ diagnose check my_net.py             # here: filled in, with the ReLU mask taken from dA1\n"
            + stdout_of("check", "my_net.py"))


def run_tanh_member_fault(tmp_path):
    return stdout_of("run", "--bug", "tanh_grad_at_activation")


def class_without_w2_penalty(tmp_path):
    (tmp_path / "net.py").write_text(CLASS_WITHOUT_W2_PENALTY, encoding="utf-8")
    return stdout_of("check", "net.py")


GENERATORS = {
    "run missing_div_n": run_missing_div_n,
    "check healthy with a caution": check_with_caution,
    "check my_net.py with the ReLU mask taken from dA1": template_then_check,
    "check a class whose dW2 has no penalty": class_without_w2_penalty,
    "run tanh_grad_at_activation": run_tanh_member_fault,
}


def blocks(text):
    """(key, whether only lines of it are shown, the block's text) for every marked block."""
    return [(m.group(2), bool(m.group(1)), m.group(3)) for m in MARKED.finditer(text)]


def test_the_readme_marks_every_generated_report():
    assert sorted(key for key, _, _ in blocks(README.read_text())) == sorted(GENERATORS)


def test_every_report_in_the_readme_is_what_the_tool_prints_today(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stale = []
    for key, excerpt, shown in blocks(README.read_text()):
        out = GENERATORS[key](tmp_path)
        if excerpt:
            stale += [(key, line) for line in shown.splitlines() if line not in out.splitlines()]
        elif shown != out:
            stale.append((key, out))
    assert stale == []


def regenerate():
    """Rewrite every full block of the README with what the tool prints now."""
    import tempfile
    import os

    text = README.read_text()
    for key, excerpt, shown in blocks(text):
        if excerpt:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            cwd = os.getcwd()
            os.chdir(tmp)
            try:
                out = GENERATORS[key](pathlib.Path(tmp))
            finally:
                os.chdir(cwd)
        marker = f"<!-- generated: {key} -->\n```\n"
        text = text.replace(f"{marker}{shown}```\n", f"{marker}{out}```\n")
    README.write_text(text)


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    regenerate()
