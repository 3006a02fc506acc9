"""`diagnose check` against a hostile file: nothing it does hangs the tool, outlives the check,
forges the verdict, takes all the memory or floods the terminal.

Each test writes the pids of whatever its file starts to a marker file; a fixture kills any
that are still there at the end, so a failing test leaves no process behind either.
"""
import inspect
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

import core.net
from diagnose import diagnose
from diagnose.check.isolate import check_file
from diagnose.cli.main import main

CORE_SOURCE = inspect.getsource(core.net)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def alive(pid):
    """The process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids, seconds):
    """True when none of `pids` is alive within `seconds`."""
    stop = time.monotonic() + seconds
    while any(alive(p) for p in pids):
        if time.monotonic() > stop:
            return False
        time.sleep(0.05)
    return True


def read_pids(path, count, seconds=20):
    """The `count` pids the checked file wrote to `path` (one a line), waiting for them."""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if path.exists():
            pids = [int(p) for p in path.read_text().split()]
            if len(pids) >= count:
                return pids
        time.sleep(0.05)
    raise AssertionError(f"the file did not write {count} pids to {path}")


@pytest.fixture
def marker(tmp_path):
    """A file the checked code writes pids to; every pid still alive at the end is killed."""
    path = tmp_path / "pids.txt"
    yield path
    if path.exists():
        for pid in (int(p) for p in path.read_text().split()):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tool(*args, **popen):
    """`python -m diagnose ARGS` as a process of its own (its own session, so a test can kill it)."""
    return subprocess.Popen([sys.executable, "-m", "diagnose", *map(str, args)], cwd=ROOT,
                            start_new_session=True, **popen)


# A file that starts three processes at import: a plain child, one in a new session, and a
# double-forked daemon whose parent has already exited; it writes their pids to MARKER.
SPAWNS = '''import os, subprocess
plain = subprocess.Popen(["sleep", "1000"])
session = subprocess.Popen(["sleep", "1000"], start_new_session=True)
r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(w, str(os.getpid()).encode())
        os.execvp("sleep", ["sleep", "1000"])
    os._exit(0)
daemon = os.read(r, 20).decode()
with open(MARKER, "w") as f:
    f.write(f"{plain.pid}\\n{session.pid}\\n{daemon}\\n")
'''


def spawning_file(tmp_path, marker):
    return write(tmp_path, "spawns.py", f"MARKER = {str(marker)!r}\n" + SPAWNS + CORE_SOURCE)


# -- no process survives the check ----------------------------------------------------------------

def test_every_process_the_file_starts_is_killed_when_the_check_ends(tmp_path, marker):
    result = check_file(spawning_file(tmp_path, marker))
    assert result.report.verdict == "healthy"
    pids = read_pids(marker, 3, seconds=1)
    assert wait_gone(pids, 2), f"still running: {[p for p in pids if alive(p)]}"


def test_processes_started_by_a_file_that_times_out_are_killed_too(tmp_path, marker):
    path = write(tmp_path, "spawns_loops.py", f"MARKER = {str(marker)!r}\n" + SPAWNS + "while True:\n    pass\n")
    result = check_file(path, timeout=2)
    assert result.error == "spawns_loops.py did not finish in 2 s (an infinite loop?) while being imported"
    assert wait_gone(read_pids(marker, 3, seconds=1), 2)


def test_check_through_a_pipe_ends_without_waiting_for_the_files_processes(tmp_path, marker):
    proc = tool("check", spawning_file(tmp_path, marker), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=30)  # EOF comes only when no process holds the pipe
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0
    assert out.decode().splitlines()[-1].startswith("fix: ") or "verdict: healthy" in out.decode()


# -- killing the tool ends its child --------------------------------------------------------------

LOOPS_AFTER_MARK = '''import os
with open(MARKER, "w") as f:
    f.write(f"{os.getpid()}\\n")
from core.net import forward_loss


def backward(cache, params):
    while True:
        pass
'''


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL],
                         ids=lambda s: s.name)
def test_killing_the_tool_ends_the_files_process(tmp_path, marker, signum):
    path = write(tmp_path, "loops.py", f"MARKER = {str(marker)!r}\n" + LOOPS_AFTER_MARK)
    proc = tool("check", "--timeout", "600", path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        (pid,) = read_pids(marker, 1)
        os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=15)  # the server and wardens share stderr: EOF means they are gone
        assert wait_gone([pid], 5), "the file's process still runs after the tool was killed"
        assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# -- memory ---------------------------------------------------------------------------------------

GREEDY = '''import numpy as np
from core.net import forward_loss

keep = []


def backward(cache, params):
    for _ in range(10**6):
        keep.append(np.empty(2**30, dtype=np.uint8))  # address space, never touched
'''


def test_a_file_that_allocates_without_bound_is_stopped_at_the_memory_limit(tmp_path):
    result = check_file(write(tmp_path, "greedy.py", GREEDY), memory_gb=1)
    assert result.exit_code == 1 and result.report is None
    assert result.error == ("greedy.py used more than 1 GB of memory during shapes and types "
                            "(the limit for one check; --memory-limit GB changes it)")


def test_memory_limit_option_reports_on_stderr_with_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["check", "--memory-limit", "1.5", str(write(tmp_path, "greedy.py", GREEDY))])
    assert result.exit_code == 1
    assert result.stderr == ("Error: greedy.py used more than 1.5 GB of memory during shapes and types "
                             "(the limit for one check; --memory-limit GB changes it)\n")


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "lots"])
def test_a_bad_memory_limit_is_a_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["check", "--memory-limit", value, str(write(tmp_path, "n.py", CORE_SOURCE))])
    assert result.exit_code == 2
    assert "--memory-limit" in result.stderr and "Traceback" not in result.output


# -- the verdict cannot be forged -----------------------------------------------------------------

def forged_lines():
    """What a forger writes: a healthy result in the old protocol and guesses at a new one."""
    healthy = {"form": "a", "report": diagnose(core.net).to_dict()}
    docs = [{"result": healthy}, {"ready": True}, {"token": "0" * 32, "result": healthy}, {"result": healthy}]
    return "".join(json.dumps(d) + "\n" for d in docs)


def test_a_file_that_writes_a_healthy_result_and_exits_is_reported_as_ending_the_process(tmp_path):
    text = (f"import os\nfrom core.net import forward_loss, backward as right\nFAKE = {forged_lines()!r}\n\n\n"
            "def backward(cache, params):\n"
            "    for fd in range(3, 20):\n"
            "        try:\n            os.write(fd, FAKE.encode())\n"
            "        except OSError:\n            pass\n"
            "    os._exit(0)\n")
    result = check_file(write(tmp_path, "forge.py", text))
    assert result.exit_code == 1 and result.report is None
    assert result.error.startswith("forge.py ended the process with exit status 0 during shapes and types")


# -- huge output ----------------------------------------------------------------------------------

def test_a_huge_exception_message_is_cut_saying_how_much(tmp_path):
    text = "from core.net import forward_loss\n\n\ndef backward(cache, params):\n    raise ValueError('x' * 5_000_000)\n"
    result = check_file(write(tmp_path, "shouts.py", text))
    message = result.report.failure.message
    assert result.exit_code == 1
    assert message == "ValueError: " + "x" * 1988 + "... [4,998,012 more characters cut]"


def test_huge_prints_are_cut_saying_how_much(tmp_path):
    path = write(tmp_path, "loud.py", "print('y' * 5_000_000)\n" + CORE_SOURCE)
    proc = tool("check", path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"verdict: healthy" in out
    assert err == b"y" * 65536 + b"\n[diagnose: 4,934,465 more bytes printed by loud.py were cut]\n"


# -- a file that kills the process watching it ----------------------------------------------------

def test_a_file_that_kills_its_parent_is_reported_and_what_it_started_is_killed(tmp_path, marker):
    text = ("import os, signal, subprocess\nfrom core.net import forward_loss\n\n\n"
            "def backward(cache, params):\n"
            "    p = subprocess.Popen(['sleep', '1000'], start_new_session=True)\n"
            f"    open({str(marker)!r}, 'w').write(str(p.pid))\n"
            "    os.kill(os.getppid(), signal.SIGKILL)\n")
    result = check_file(write(tmp_path, "parricide.py", text))
    assert result.exit_code == 1 and result.report is None
    assert result.error == ("parricide.py was not checked: the process watching it was killed (SIGKILL) before any "
                            "result (a file that kills its parent process does this)")
    assert wait_gone(read_pids(marker, 1, seconds=1), 2)


# -- limits given wrong ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "0", "-1", "soon"])
def test_a_bad_timeout_is_a_one_line_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["check", "--timeout", value, str(write(tmp_path, "n.py", CORE_SOURCE))])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for '--timeout': expected a number of seconds "
                                              f"greater than 0 and at most 86400, not {value!r}")


@pytest.mark.parametrize("limits, words", [({"timeout": float("nan")}, "timeout: expected a number of seconds"),
                                           ({"memory_gb": -2}, "memory limit: expected a number of GB")])
def test_check_file_refuses_bad_limits_with_value_error(tmp_path, limits, words):
    with pytest.raises(ValueError, match=words):
        check_file(write(tmp_path, "n.py", CORE_SOURCE), **limits)


def test_killing_the_tool_during_a_batch_ends_every_files_process(tmp_path, marker):
    text = ("import os\nwith open(MARKER, 'a') as f:\n    f.write(f'{os.getpid()}\\n')\nwhile True:\n    pass\n")
    for name in ("one.py", "two.py"):
        write(tmp_path, name, f"MARKER = {str(marker)!r}\n" + text)
    proc = tool("check", "--jobs", "2", "--timeout", "600", tmp_path / "one.py", tmp_path / "two.py",
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        pids = read_pids(marker, 2)
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=15)
        assert wait_gone(pids, 5)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_file_that_kills_the_fork_server_ends_the_check_with_an_error_not_a_hang(tmp_path, marker):
    text = ("import os, signal, subprocess\nfrom core.net import forward_loss\n\n\n"
            "def backward(cache, params):\n"
            "    p = subprocess.Popen(['sleep', '1000'])\n"
            f"    open({str(marker)!r}, 'w').write(str(p.pid))\n"
            "    with open(f'/proc/{os.getppid()}/stat') as f:\n"
            "        server = int(f.read().rsplit(')', 1)[1].split()[1])\n"
            "    os.kill(server, signal.SIGKILL)\n"
            "    while True:\n        pass\n")
    result = check_file(write(tmp_path, "regicide.py", text), timeout=60)
    assert result.exit_code == 1
    assert result.error == "regicide.py was not checked: the checking process ended before answering (was it killed?)"
    assert wait_gone(read_pids(marker, 1, seconds=1), 5)


def test_a_file_that_parses_its_arguments_at_import_sees_none_of_ours(tmp_path):
    text = "import argparse\nargs = argparse.ArgumentParser().parse_args()\n" + CORE_SOURCE
    result = check_file(write(tmp_path, "script_like.py", text))
    assert (result.exit_code, result.report.verdict) == (0, "healthy")
