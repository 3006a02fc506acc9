"""What a careless or hostile user of the command line met, each fixed: never a hang, a traceback or a lost file."""
import inspect
import json
import os
import stat
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import bugs
import core.net

from diagnose import adapt
from diagnose.check.isolate import check_file
from diagnose.cli.main import main

CORE_NET = inspect.getsource(core.net)


def test_check_refuses_a_fifo_at_once_with_exit_2(tmp_path):
    fifo = tmp_path / "net.py"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    result = check_file(fifo, timeout=30)
    assert result.exit_code == 2
    assert result.error == f"{fifo} is not a regular file (a FIFO, a socket or a device); give the Python file that holds your implementation"
    assert result.seconds == 0.0  # refused before any child ran, not after the 30 s limit


def test_check_json_on_a_fifo_is_one_usage_document(tmp_path):
    fifo = tmp_path / "net.py"
    os.mkfifo(fifo)
    out = CliRunner().invoke(main, ["check", str(fifo), "--json"])
    assert out.exit_code == 2
    assert json.loads(out.output)["error"]["kind"] == "usage"


def test_csv_onto_a_fifo_is_a_usage_error_and_the_fifo_stays(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    fifo = tmp_path / "grades.csv"
    os.mkfifo(fifo)
    out = CliRunner().invoke(main, ["check", str(tmp_path / "net.py"), "--csv", str(fifo)])
    assert out.exit_code == 2
    assert f"Invalid value for '--csv': {fifo} is not a regular file" in out.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # a rename over it would have made it a regular file


def test_csv_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    link = tmp_path / "grades.csv"
    link.symlink_to(tmp_path / "real.csv")
    out = CliRunner().invoke(main, ["check", str(tmp_path / "net.py"), "--csv", str(link)])
    assert out.exit_code == 0, out.output
    assert link.is_symlink()
    assert (tmp_path / "real.csv").read_text().startswith("file,form,net,verdict")


def test_csv_and_glob_given_empty_are_usage_errors_not_ignored(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    for option in ("--csv", "--glob"):
        out = CliRunner().invoke(main, ["check", str(tmp_path / "net.py"), option, ""])
        assert out.exit_code == 2, option
        assert out.output.startswith(f"Error: Invalid value for '{option}': expected ")


def test_template_refuses_a_name_check_would_not_read(tmp_path):
    out = CliRunner().invoke(main, ["template", str(tmp_path / "my_net")])
    assert out.exit_code == 2
    assert "does not end in .py" in out.output
    assert not (tmp_path / "my_net").exists()


def test_template_force_onto_a_fifo_is_refused_and_writes_nothing_into_it(tmp_path):
    fifo = tmp_path / "my_net.py"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that a write would not block but succeed
    try:
        out = CliRunner().invoke(main, ["template", str(fifo), "--force"])
        assert out.exit_code == 2
        assert "is not a regular file" in out.output
        assert os.read(reader, 1) == b""  # nothing was written into the FIFO
    finally:
        os.close(reader)


def test_memory_limit_too_small_to_start_is_a_usage_error_not_a_bug_in_diagnose(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    out = CliRunner().invoke(main, ["check", str(tmp_path / "net.py"), "--memory-limit", "0.05"])
    assert out.exit_code == 2
    assert out.output == ("Error: Invalid value for '--memory-limit': expected at least 0.25 GB (the check's own "
                          "process needs about 0.15 GB before your file runs), not '0.05'\n")


def test_memory_limit_past_what_rlimit_holds_is_a_usage_error(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    out = CliRunner().invoke(main, ["check", str(tmp_path / "net.py"), "--memory-limit", "1e30", "--json"])
    assert out.exit_code == 2
    assert json.loads(out.output)["error"] == {
        "kind": "usage",
        "message": "Invalid value for '--memory-limit': expected a number of GB greater than 0 and at most 1e+06, not '1e30'"}


def test_check_file_takes_the_same_memory_bounds(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    for bad in (0.01, 1e30):
        with pytest.raises(ValueError, match="memory limit: expected"):
            check_file(tmp_path / "net.py", memory_gb=bad)


def test_readme_for_teachers_table_is_the_real_batch_run_on_the_catalog(tmp_path, monkeypatch):
    readme = open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")).read()
    start = readme.index("$ diagnose check submissions --csv grades.csv\n")
    shown = readme[start:readme.index("```", start)].splitlines()[1:]
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "core_net.py").write_text(CORE_NET)
    for fault in bugs.FAULTS:
        (tmp_path / "submissions" / f"{fault.id}.py").write_text(bugs.apply(fault))
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["check", "submissions", "--csv", "grades.csv"])
    assert out.exit_code == 1
    real = out.stdout.splitlines()
    no_ms = lambda lines: [line.rsplit(None, 1)[0] if line.startswith("submissions/") else line for line in lines]
    assert no_ms(real) == no_ms(shown)  # every column but the milliseconds


def test_an_empty_store_path_is_a_usage_error_not_the_default_store(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for args in (["stats", "--store", ""], ["drill", "--rounds", "1", "--store", ""]):
        out = CliRunner().invoke(main, args, input="1\n")
        assert out.exit_code == 2, args
        assert out.output == "Error: progress store '': expected the path of a JSON file with --store, not an empty string\n"
    assert not (tmp_path / "data").exists()  # the default store was not touched


def test_a_drill_whose_store_cannot_be_written_stops_before_the_first_round(tmp_path):
    out = CliRunner().invoke(main, ["drill", "--rounds", "1", "--store", "/proc/progress.json"], input="1\n")
    assert out.exit_code == 2
    assert out.output == ("Error: progress store /proc/progress.json cannot be written: No such file or directory "
                          "(its lock file in /proc); give another --store\n")


def test_stats_on_a_store_it_cannot_lock_reads_without_claiming_a_failed_save():
    out = CliRunner().invoke(main, ["stats", "--store", "/proc/progress.json"])
    assert out.exit_code == 0
    assert out.output == "No drills recorded in /proc/progress.json yet: try `diagnose drill`.\n"


def test_a_workdir_where_no_file_can_be_written_is_a_usage_error_not_a_traceback(tmp_path):
    out = CliRunner().invoke(main, ["drill", "--mode", "fix", "--rounds", "1", "--workdir", "/proc",
                                    "--store", str(tmp_path / "p.json")], input="q\n")
    assert out.exit_code == 2
    assert out.output == "Error: Invalid value for '--workdir': cannot write files in /proc: No such file or directory\n"
    assert not (tmp_path / "p.json").exists()


def test_nan_time_limit_and_minutes_are_usage_errors(tmp_path):
    for option in ("--time-limit", "--minutes"):
        out = CliRunner().invoke(main, ["drill", option, "nan", "--store", str(tmp_path / "p.json")], input="1\n")
        assert out.exit_code == 2, option
        assert out.output == f"Error: Invalid value for '{option}': 'nan' is not a finite number\n"


def test_adapter_kit_misuse_is_one_adapter_error_not_a_traceback_from_the_kit():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 9)), rng.integers(0, 4, 6)
    params = {"W1": rng.standard_normal((9, 12)), "b1": rng.standard_normal(12),
              "W2": rng.standard_normal((12, 4)), "b2": rng.standard_normal(4)}
    cases = [
        (lambda: adapt.per_sample(lambda x, t: (0.0, {}), X, y, params, frame="columns"),
         "per_sample(frame='columns'): expected an adapt.Frame, such as adapt.Frame('columns')"),
        (lambda: adapt.per_sample(lambda x, t: (0.0, {}), X[:0], y[:0], params),
         "per_sample: X holds no samples (shape (0, 9)): pass the X that loss_and_grads received"),
        (lambda: adapt.grads_from_update(lambda lr: 0.0, {}, params, frame=3),
         "grads_from_update(frame=...): expected an adapt.Frame, got int"),
        (lambda: adapt.assign(None, params),
         "assign(store, values): expected a dict or an object whose attributes hold the params, got NoneType"),
        (lambda: adapt.Frame(grads=("dW1", ("db1",), 7)),
         "a tuple order holds names (strings) or tuples of names, not 7"),
    ]
    for call, message in cases:
        with pytest.raises(adapt.AdapterError) as caught:
            call()
        assert caught.value.message == message
        assert caught.value.exit_code == 2


class RowsNet:
    """Rows code that only updates in place: W1 (D, H), b1 (H,), plain SGD."""

    def __init__(self, X, y):
        self.X, self.y = X, y

    def step(self, lr):
        N = len(self.y)
        Z1 = self.X @ self.W1 + self.b1
        A1 = np.maximum(0, Z1)
        Z2 = A1 @ self.W2 + self.b2
        P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        loss = -np.log(P[np.arange(N), self.y]).mean()
        dZ2 = P.copy()
        dZ2[np.arange(N), self.y] -= 1
        dZ2 /= N  # dL/dZ2 = (P - onehot(y)) / N
        dZ1 = (dZ2 @ self.W2.T) * (Z1 > 0)  # back through W2 and the ReLU mask
        grads = {"W1": self.X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
        for k, g in grads.items():
            getattr(self, k)[...] -= lr * g
        return loss


def test_grads_from_update_with_the_wrong_layout_declared_names_the_frame_that_runs():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((6, 9)), rng.integers(0, 4, 6)
    params = {"W1": rng.standard_normal((9, 12)), "b1": rng.standard_normal(12),
              "W2": rng.standard_normal((12, 4)), "b2": rng.standard_normal(4)}
    net = RowsNet(X, y)
    loss, grads = adapt.grads_from_update(net.step, net, params)  # the right frame: it works
    assert grads["W1"].shape == (9, 12) and np.isfinite(loss)
    with pytest.raises(adapt.AdapterError) as caught:
        adapt.grads_from_update(net.step, net, params, frame=adapt.Frame("columns"))
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith("step fails in the frame declared, Frame('columns', weights='out_in', "
                                           "bias='column', labels='onehot_columns') (ValueError: ")
    assert caught.value.message.endswith("but runs in Frame('rows', weights='in_out', bias='flat', labels='ids'): "
                                         "declare that frame")


def test_a_time_limit_shorter_than_start_up_blames_the_limit_not_an_infinite_loop(tmp_path):
    from diagnose.check.isolate import interpret
    outcome = {"id": 0, "stage": None, "result": None, "returncode": -9, "timed_out": True, "seconds": 0.001}
    result = interpret(str(tmp_path / "net.py"), outcome, 0.001)  # the child never said it began importing
    assert result.exit_code == 1
    assert result.error == ("net.py was not checked: the limit of 0.001 s ran out while the check's own process "
                            "was starting, before the file ran (give a larger --timeout)")


def test_batch_summary_says_1_file_not_1_files(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET)
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--seed", "0"])
    assert out.exit_code == 0
    assert "\n1 file, probe seed 0: 1 healthy, 0 with a fault, 0 failed or not checked\n" in out.stdout


def test_csv_onto_a_file_being_checked_is_refused_and_the_file_kept(tmp_path):
    net = tmp_path / "net.py"
    net.write_text(CORE_NET)
    out = CliRunner().invoke(main, ["check", str(net), "--csv", str(net)])
    assert out.exit_code == 2
    assert out.output == f"Error: Invalid value for '--csv': {net} is one of the files to check; writing the CSV there would replace it\n"
    assert net.read_text() == CORE_NET


KILLS_THE_SERVER = '''
import os, signal

def grandparent():
    with open(f"/proc/{os.getppid()}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])

os.kill(grandparent(), signal.SIGKILL)  # the fork server that every file of the batch comes from
'''


def test_a_file_that_kills_the_fork_server_costs_only_its_own_row(tmp_path):
    for i in range(3):
        (tmp_path / f"f{i}.py").write_text(CORE_NET)
    (tmp_path / "a_killer.py").write_text(CORE_NET + KILLS_THE_SERVER)
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--jobs", "2", "--jsonl"])
    assert out.exit_code == 1
    docs = {os.path.basename(d["file"]): d for d in map(json.loads, out.stdout.splitlines())}
    assert [docs[f"f{i}.py"]["verdict"] for i in range(3)] == ["healthy"] * 3
    assert docs["a_killer.py"]["error"]["message"] == ("a_killer.py was not checked: the checking process ended "
                                                        "before answering (was it killed?)")


def test_an_empty_path_is_named_as_such_not_as_the_current_directory():
    from diagnose import diagnose
    from diagnose.check.loader import LoadError
    assert check_file("").error == "expected the path of a Python file, not an empty string"
    assert check_file("").exit_code == 2
    with pytest.raises(LoadError, match="^expected the path of a Python file, not an empty string$"):
        diagnose("")


def test_output_to_a_full_disk_is_one_line_error_not_a_traceback():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "diagnose", "list"], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == "Error: cannot write the output: No space left on device\n"


DUP2_OVER_EVERY_FD = '''
import os

_backward = backward

def backward(cache, params):
    sink = os.open(os.devnull, os.O_WRONLY)
    for fd in range(1, 40):  # stdout, stderr and whatever else is open: the check's own pipes too
        if fd != sink:
            try:
                os.dup2(sink, fd)
            except OSError:
                pass
    return _backward(cache, params)
'''


def test_a_file_that_dup2s_over_the_checks_pipes_is_told_so_not_asked_about_os_exit(tmp_path):
    (tmp_path / "net.py").write_text(CORE_NET + DUP2_OVER_EVERY_FD)
    result = check_file(tmp_path / "net.py", timeout=20)
    assert result.exit_code == 1
    assert result.error == ("net.py broke the check's channel during shapes and types, before any result: it closed "
                            "or replaced (os.close, os.dup2) file descriptors it did not open")


SAYS_ITS_MEMORY_LIMIT = '''
import resource
raise RuntimeError(f"limit {resource.getrlimit(resource.RLIMIT_AS)[0]}")
'''


def test_a_batch_shares_the_default_memory_limit_among_the_files_checked_at_once(tmp_path):
    from diagnose.check.limits import GB, default_memory_gb
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(SAYS_ITS_MEMORY_LIMIT)
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--jobs", "2", "--jsonl"])
    messages = [json.loads(line)["error"]["message"] for line in out.stdout.splitlines()]
    shared = int(default_memory_gb(2) * GB)
    assert shared < int(default_memory_gb() * GB)  # two greedy files together get what one check would
    assert [m.split(" while being imported")[0] for m in messages] == [
        f"{name} raised RuntimeError: limit {shared}" for name in ("a.py", "b.py")]


def test_round_files_are_claimed_so_two_drills_never_share_one_and_a_symlink_is_never_followed(tmp_path):
    from diagnose.practice.rounds import round_file
    (tmp_path / "round1_net.py").symlink_to(tmp_path / "elsewhere.py")  # dangling: exists() says False
    first, second = round_file(tmp_path, 1), round_file(tmp_path, 1)
    assert (first.name, second.name) == ("round1_net_2.py", "round1_net_3.py")
    assert not (tmp_path / "elsewhere.py").exists()


def test_implement_mode_still_writes_its_blank_into_the_claimed_file(tmp_path):
    out = CliRunner().invoke(main, ["drill", "--mode", "implement", "--no-watch", "--workdir", str(tmp_path / "w"),
                                    "--store", str(tmp_path / "p.json")], input="q\n")
    assert out.exit_code == 0, out.output
    assert "def forward_loss(X, y, params):" in (tmp_path / "w" / "round1_net.py").read_text()


def test_a_default_store_whose_directory_cannot_be_made_stops_the_drill_before_the_first_round(monkeypatch):
    monkeypatch.delenv("BACKPROP_DRILLS_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/proc")
    out = CliRunner().invoke(main, ["drill", "--rounds", "1"], input="1\n")
    assert out.exit_code == 2
    assert out.output == ("Error: progress store /proc/backprop-drills/progress.json: cannot create its directory "
                          "/proc/backprop-drills (No such file or directory); give another --store\n")


def test_show_without_bug_is_one_line_not_every_id_lowercased():
    out = CliRunner().invoke(main, ["show"])
    assert out.exit_code == 2
    assert out.output == "Error: Missing option '--bug'. Give a fault id; `diagnose list` shows them.\n"


def test_drill_bug_errors_spell_the_ids_as_the_catalog_does():
    out = CliRunner().invoke(main, ["drill", "--bug", "nope"])
    assert out.exit_code == 2
    assert "'dW2_transposed'" in out.output and "'dw2_transposed'" not in out.output


def test_an_interview_stopped_by_end_of_input_still_shows_and_saves_its_scorecard(tmp_path):
    store = tmp_path / "p.json"
    out = CliRunner().invoke(main, ["drill", "--mode", "interview", "--no-watch", "--workdir", str(tmp_path / "w"),
                                    "--store", str(store)], input="\nh\n")  # one submission, one hint, then EOF
    assert out.exit_code == 0, out.output
    assert "Scorecard:\n  result:      not healthy\n" in out.output
    card = json.loads(store.read_text())["interviews"][0]
    assert (card["submissions"], card["hints"], card["healthy"]) == (1, 1, False)
