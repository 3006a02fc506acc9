"""`diagnose check PATH...`: many files, each in its own isolated child, one row each and a summary."""
import csv
import inspect
import json
import os
import pty
import signal
import subprocess
import sys
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import bugs
import core.net
from diagnose.check.batch import BatchError, Row, expand, summary
from diagnose.check.isolate import CheckResult
from diagnose.cli.main import main

CORE_SOURCE = inspect.getsource(core.net)
SUMMARY_COLUMNS = ["file", "form", "net", "verdict", "faults", "cautions", "stage", "ms"]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A directory of three submissions: healthy, a fault, a syntax error; cwd is its parent."""
    write(tmp_path / "subs" / "alice.py", CORE_SOURCE)
    write(tmp_path / "subs" / "bob.py", bugs.apply(bugs.get("missing_div_n")))
    write(tmp_path / "subs" / "carol.py", "def forward_loss(X, y, params:\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "subs"


def table_rows(stdout):
    """{file: {column: cell}} from the batch table (cells hold no spaces except the stage's)."""
    lines = stdout.split("\n\n")[0].splitlines()
    assert lines[0].split() == SUMMARY_COLUMNS
    rows = {}
    for line in lines[1:]:
        file, form, net, verdict, faults, cautions, *stage, ms = line.split()
        rows[file] = dict(form=form, net=net, verdict=verdict, faults=faults, cautions=cautions,
                          stage=" ".join(stage), ms=int(ms))
    return rows


# -- which files ----------------------------------------------------------------------------------

def test_a_directory_gives_every_py_file_below_it_skipping_hidden_and_cache_dirs(tmp_path):
    for name in ("b.py", "a.py", "deep/c.py", ".venv/x.py", "__pycache__/y.py", "notes.txt", "deep/d.ipynb"):
        write(tmp_path / name, "")
    assert expand([tmp_path]) == [str(tmp_path / n) for n in ("a.py", "b.py", "deep/c.py")]


def test_glob_picks_other_files_and_a_file_given_twice_is_checked_once(tmp_path):
    for name in ("hw1_alice.py", "hw2_alice.py", "deep/hw1_bob.py"):
        write(tmp_path / name, "")
    found = expand([tmp_path / "hw2_alice.py", tmp_path, tmp_path / "hw2_alice.py"], "hw1_*.py")
    assert found == [str(tmp_path / n) for n in ("hw2_alice.py", "deep/hw1_bob.py", "hw1_alice.py")]


def test_a_directory_without_matching_files_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match="holds no files matching \\*.py"):
        expand([tmp_path / "empty"])
    result = run_cli("check", tmp_path / "empty")
    assert result.exit_code == 2 and "holds no files matching *.py" in result.stderr


# -- the table and the summary --------------------------------------------------------------------

def test_batch_prints_a_row_per_file_the_errors_and_a_summary_with_exit_1(course):
    result = run_cli("check", "subs")
    rows = table_rows(result.stdout)
    assert result.exit_code == 1
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert {f: (r["form"], r["verdict"], r["faults"], r["stage"]) for f, r in rows.items()} == {
        "subs/alice.py": ("a", "healthy", "-", "-"),
        "subs/bob.py": ("a", "missing_div_n", "missing_div_n", "gradient check"),
        "subs/carol.py": ("-", "error", "-", "-"),
    }
    assert "not checked or failed:\n  subs/carol.py: carol.py line 1: " in result.stdout
    assert result.stdout.endswith("3 files, probe seed 0: 1 healthy, 1 with a fault, 1 failed or not checked\n"
                                  "verdicts: 1 error, 1 healthy, 1 missing_div_n\n"
                                  "fault families: 1 checklist 1 (a wrong scale factor such as a missing /N)\n")


def test_batch_of_healthy_files_exits_0(tmp_path):
    for name in ("one.py", "two.py"):
        write(tmp_path / name, CORE_SOURCE)
    write(tmp_path / "eye.py", bugs.apply(bugs.get("onehot_eye")))  # an equivalent mutant: healthy
    result = run_cli("check", tmp_path / "one.py", tmp_path / "two.py", tmp_path / "eye.py")
    assert result.exit_code == 0
    assert result.stdout.endswith("3 files, probe seed 0: 3 healthy, 0 with a fault, 0 failed or not checked\n"
                                  "verdicts: 3 healthy\nfault families: none\n")


def test_rows_show_the_net_and_cautions_when_the_report_has_them():
    report = SimpleNamespace(verdict="healthy", faults=(), stage=None, net="relu,softmax_ce",
                             cautions=(SimpleNamespace(id="log_eps"), SimpleNamespace(id="no_shift")))
    row = Row.of(CheckResult("/x/a.py", 0, "a", report, seconds=0.0125), "a.py")
    assert (row.net, row.cautions, row.ms, row.stage) == ("relu,softmax_ce", "log_eps,no_shift", 12, "-")


def test_summary_counts_each_faults_family_as_the_report_names_it():
    two = SimpleNamespace(verdict="sign_flipped", faults=("sign_flipped", "no_copy"),
                          to_dict=lambda: {"families": {"sign_flipped": "other", "no_copy": "checklist 2"}})
    old_style = SimpleNamespace(verdict="x", faults=("x",), to_dict=lambda: {"family": "softmax"})
    unnamed = SimpleNamespace(verdict="y", faults=("y",), to_dict=lambda: {})
    results = [CheckResult("a.py", 1, "a", two), CheckResult("b.py", 2, error="b.py line 1: invalid syntax"),
               CheckResult("c.py", 1, "a", old_style), CheckResult("d.py", 1, "a", unnamed)]
    assert summary(results) == {
        "files": 4, "healthy": 0, "failed": 1, "verdicts": {"error": 1, "sign_flipped": 1, "x": 1, "y": 1},
        "families": {"checklist 2 (an in-place write (no copy))": 1, "other": 1, "softmax": 1, "unknown": 1},
        "exit_code": 1}


def test_strict_makes_a_batch_with_a_cautioned_file_exit_1():
    cautioned = SimpleNamespace(verdict="healthy", faults=(), cautions=(SimpleNamespace(id="log_eps"),),
                                to_dict=lambda: {})
    results = [CheckResult("a.py", 0, "a", cautioned)]
    assert (summary(results)["exit_code"], summary(results, strict=True)["exit_code"]) == (0, 1)


# -- outputs for tools ----------------------------------------------------------------------------

def test_jsonl_prints_one_report_per_line_with_the_file(course):
    result = run_cli("check", "--jsonl", "subs")
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1
    assert [(d["file"], d["verdict"], d["exit_code"]) for d in docs] == [
        ("subs/alice.py", "healthy", 0), ("subs/bob.py", "missing_div_n", 1), ("subs/carol.py", "error", 2)]
    assert docs[1]["probe"] == {"seed": 0, "N": 6, "D": 9, "H": 12, "C": 4} and docs[1]["form"] == "a"


def test_csv_writes_a_row_per_file_beside_the_jsonl(course, tmp_path):
    result = run_cli("check", "--jsonl", "--csv", tmp_path / "grades.csv", "subs")
    with open(tmp_path / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 3
    assert [(r["file"], r["verdict"], r["exit_code"]) for r in rows] == [
        ("subs/alice.py", "healthy", "0"), ("subs/bob.py", "missing_div_n", "1"), ("subs/carol.py", "error", "2")]
    assert rows[2]["error"].startswith("carol.py line 1: ") and rows[0]["error"] == ""
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_json_on_many_files_is_one_document_with_a_summary(course):
    result = run_cli("check", "--json", "subs")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [f["verdict"] for f in doc["files"]] == ["healthy", "missing_div_n", "error"]
    assert doc["summary"]["verdicts"] == {"error": 1, "healthy": 1, "missing_div_n": 1} and doc["seed"] == 0


def test_json_and_jsonl_together_are_a_usage_error(course):
    result = run_cli("check", "--json", "--jsonl", "subs")
    doc = json.loads(result.stdout)  # under --json even a usage error is one JSON document (issue 15)
    assert result.exit_code == 2 and doc["error"]["kind"] == "usage"
    assert "at most one of --json and --jsonl" in doc["error"]["message"]


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--seed", "often"]])
def test_bad_jobs_or_seed_is_a_usage_error(course, args):
    result = run_cli("check", *args, "subs")
    assert result.exit_code == 2 and "Traceback" not in result.output


# -- seeds ----------------------------------------------------------------------------------------

def test_every_file_gets_the_same_seed(course):
    result = run_cli("check", "--jsonl", "--seed", "7", "subs/alice.py", "subs/bob.py")
    assert [json.loads(line)["probe"]["seed"] for line in result.stdout.splitlines()] == [7, 7]


def test_seed_random_draws_one_prints_it_and_uses_it_for_every_file(course):
    result = run_cli("check", "--jsonl", "--seed", "random", "subs/alice.py", "subs/bob.py")
    (line,) = result.stderr.splitlines()
    assert line.startswith("diagnose: --seed random drew ")
    seed = int(line.rsplit(" ", 1)[1])
    assert [json.loads(row)["probe"]["seed"] for row in result.stdout.splitlines()] == [seed, seed]


# -- isolation in a batch -------------------------------------------------------------------------

def test_each_file_is_isolated_a_loop_a_forger_and_a_spawner_do_not_touch_the_others(tmp_path, monkeypatch):
    marker = tmp_path / "pids.txt"
    write(tmp_path / "b" / "a_loops.py", "while True:\n    pass\n")
    write(tmp_path / "b" / "b_exits.py", "import contextlib, os\nfor fd in range(3, 20):\n"
          "    with contextlib.suppress(OSError):\n        os.write(fd, b'{\"result\": {}}\\n')\nos._exit(0)\n")
    write(tmp_path / "b" / "c_spawns.py", "import subprocess\n"
          f"p = subprocess.Popen(['sleep', '1000'], start_new_session=True)\nopen({str(marker)!r}, 'w').write(str(p.pid))\n"
          + CORE_SOURCE)
    write(tmp_path / "b" / "d_core.py", CORE_SOURCE)
    monkeypatch.chdir(tmp_path)
    try:
        result = run_cli("check", "--jsonl", "--jobs", "2", "--timeout", "2", "b")
        docs = {json.loads(line)["file"]: json.loads(line) for line in result.stdout.splitlines()}
        assert docs["b/a_loops.py"]["error"] == "a_loops.py did not finish in 2 s (an infinite loop?) while being imported"
        assert docs["b/b_exits.py"]["error"].startswith("b_exits.py ended the process with exit status 0")
        assert docs["b/c_spawns.py"]["verdict"] == docs["b/d_core.py"]["verdict"] == "healthy"
        assert not os.path.exists(f"/proc/{marker.read_text()}")
    finally:
        if marker.exists() and os.path.exists(f"/proc/{marker.read_text()}"):
            os.kill(int(marker.read_text()), signal.SIGKILL)


# -- the progress bar -----------------------------------------------------------------------------

def stderr_on_a_terminal(*args):
    """(stdout, what the command wrote to its stderr, a pseudo-terminal) of `python -m diagnose ARGS`."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "diagnose", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=slave, start_new_session=True)
    os.close(slave)
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal has no writer left
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return out.decode(), err.decode()


@pytest.mark.parametrize("flag, shown", [(None, True), ("--jsonl", False), ("--json", False)])
def test_a_progress_bar_runs_on_a_terminal_stderr_only_with_text_output(course, flag, shown):
    out, err = stderr_on_a_terminal("check", *([flag] if flag else []), course)
    assert ("checking" in err and "100%" in err) == shown
    assert "checking" not in out


def test_csv_in_a_directory_that_does_not_exist_is_a_usage_error_before_any_check(course, tmp_path):
    result = run_cli("check", "--csv", tmp_path / "nowhere" / "grades.csv", "subs")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "does not exist or is not writable" in result.stderr
    assert result.stdout == ""


def test_strict_sets_the_exit_code_of_a_cautioned_file_in_the_json_lines(tmp_path):
    write(tmp_path / "eps.py", bugs.apply(bugs.get("log_no_eps")))  # right, but a caution
    write(tmp_path / "core.py", CORE_SOURCE)
    plain = run_cli("check", "--jsonl", tmp_path)
    strict = run_cli("check", "--jsonl", "--strict", tmp_path)
    assert [json.loads(line)["exit_code"] for line in plain.stdout.splitlines()] == [0, 0]
    assert [json.loads(line)["exit_code"] for line in strict.stdout.splitlines()] == [0, 1]
    assert (plain.exit_code, strict.exit_code) == (0, 1)
