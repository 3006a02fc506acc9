"""What a careless or hostile user of the command line met, each fixed: never a hang, a traceback or a lost file."""
import inspect
import json
import os
import stat

import pytest
from click.testing import CliRunner

import bugs
import core.net

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
