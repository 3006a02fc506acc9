"""The progress store cannot be turned against the machine or lose answers (issue 15, "The progress store").

Devices, FIFOs and directories are refused and left alone; symlinks are followed; a
read-only file is refused; new files get the usual mode; parallel drills merge under a
lock; stale temp files go; only the default location's directory is created.
"""
import io
import multiprocessing
import os
import signal
import stat

import pytest
from click.testing import CliRunner

from diagnose.cli.main import main
from diagnose.practice.drill import Drill, Mode, run
from diagnose.practice.keyboard import Keyboard
from diagnose.practice.store import ENV_VAR, Outcome, Progress, Store, StoreError, read_progress, write_progress


def quiz_drill(store_path, env=None):
    """`diagnose drill --mode quiz --rounds 1` on store_path, answering 1."""
    args = ["drill", "--mode", "quiz", "--rounds", "1", "--seed", "0"]
    if store_path is not None:
        args += ["--store", str(store_path)]
    return CliRunner().invoke(main, args, input="1\n", env=env)


def assert_refused(result, *words):
    """Exit 2, one line on stderr naming the problem, no traceback, nothing drilled."""
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: progress store ")
    assert all(word in result.stderr for word in words), result.stderr
    assert "Traceback" not in result.output and "== Round" not in result.output


@pytest.fixture
def alarm():
    """Fail instead of hanging: a test that would block forever (a FIFO) raises after 10 s."""
    def timeout(signum, frame):
        raise TimeoutError("the store blocked")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# -- not a regular file: refused, never renamed or replaced --------------------------------------

@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_character_device_is_refused_and_left_in_place(tmp_path):
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null: the real one stays safe
    result = quiz_drill(device)
    assert_refused(result, str(device), "a character device")
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no backup, no temp file, no lock


def test_a_fifo_is_refused_without_hanging(tmp_path, alarm):
    fifo = tmp_path / "p.json"
    os.mkfifo(fifo)
    result = quiz_drill(fifo)
    assert_refused(result, "a FIFO")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_directory_is_refused_and_not_moved_aside(tmp_path):
    folder = tmp_path / "p.json"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep")
    result = quiz_drill(folder)
    assert_refused(result, "a directory")
    assert (folder / "mine.txt").read_text() == "keep"
    assert not (tmp_path / "p.json.corrupt").exists()


def test_a_fifo_swapped_in_after_the_check_is_refused_on_read(tmp_path, alarm):
    path = tmp_path / "p.json"
    store = Store(path, print)  # the path is fine when the store is opened ...
    os.mkfifo(path)  # ... and becomes a FIFO before the read
    with pytest.raises(StoreError, match="a FIFO"):
        store.load()


# -- symlinks, modes, read-only --------------------------------------------------------------------

def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    target = tmp_path / "real" / "progress.json"
    target.parent.mkdir()
    write_progress(target, Progress())
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = quiz_drill(link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert read_progress(target).modes["quiz"].attempts == 1


def test_a_read_only_store_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "p.json"
    write_progress(path, Progress())
    before = path.read_bytes()
    path.chmod(0o444)
    result = quiz_drill(path)
    assert_refused(result, "read-only")
    assert path.read_bytes() == before and stat.S_IMODE(os.stat(path).st_mode) == 0o444


def test_a_new_store_gets_0666_less_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert quiz_drill(tmp_path / "p.json").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "p.json").st_mode) == 0o644


def test_an_existing_store_keeps_its_mode(tmp_path):
    path = tmp_path / "p.json"
    write_progress(path, Progress())
    path.chmod(0o600)
    assert quiz_drill(path).exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# -- where: only the default location's directory is created ---------------------------------------

def test_an_explicit_store_in_a_missing_directory_is_an_error(tmp_path):
    path = tmp_path / "no" / "such" / "p.json"
    result = quiz_drill(path)
    assert_refused(result, "does not exist")
    assert not (tmp_path / "no").exists()


def test_the_environment_variable_in_a_missing_directory_is_an_error(tmp_path):
    result = quiz_drill(None, env={ENV_VAR: str(tmp_path / "no" / "p.json")})
    assert_refused(result, "does not exist")


def test_the_default_location_gets_its_directory(tmp_path):
    result = quiz_drill(None, env={"XDG_DATA_HOME": str(tmp_path / "xdg"), ENV_VAR: ""})
    assert result.exit_code == 0, result.output
    assert read_progress(tmp_path / "xdg" / "backprop-drills" / "progress.json").modes["quiz"].attempts == 1


# -- temp files ---------------------------------------------------------------------------------------

def test_a_later_run_removes_stale_temp_files_of_its_own_store(tmp_path):
    path = tmp_path / "p.json"
    stale = tmp_path / ".p.json.0123abcd.tmp"  # what a drill killed mid-write leaves
    stale.write_text('{"version": 1, "fa')
    other = tmp_path / ".other.json.0123abcd.tmp"  # another store's: not ours to remove
    other.write_text("x")
    assert quiz_drill(path).exit_code == 0
    assert not stale.exists() and other.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".p.json.") and p.name.endswith(".tmp")]


def test_stale_temp_removal_takes_a_name_with_glob_characters_literally(tmp_path):
    path = tmp_path / "p[1].json"
    stale, unrelated = tmp_path / ".p[1].json.ab.tmp", tmp_path / ".p1.json.ab.tmp"
    stale.write_text(""), unrelated.write_text("")
    assert quiz_drill(path).exit_code == 0
    assert not stale.exists() and unrelated.exists()


# -- two drills at once lose nothing ------------------------------------------------------------------

def three_answer_drills(path, repeats, seed):
    """Play `repeats` three-round quiz drills on the store at path (run in a child process)."""
    for i in range(repeats):
        keyboard = Keyboard(io.StringIO("1\n1\n1\n"))
        run(Drill(mode=Mode.QUIZ, rounds=3, seed=seed + i), Store(path, print), keyboard)


def test_parallel_drills_merge_every_answer(tmp_path):
    path = tmp_path / "p.json"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=three_answer_drills, args=(path, 10, seed)) for seed in (0, 100)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    progress = read_progress(path)
    assert progress.modes["quiz"].attempts == 2 * 10 * 3
    assert sum(t.attempts for t in progress.topics.values()) == 60
    assert progress.rounds == 60 and len(progress.history) == 60


def test_update_merges_into_what_is_on_disk(tmp_path):
    path = tmp_path / "p.json"
    first, second = Store(path, print), Store(path, print)
    first.load(), second.load()  # both drills start from the same empty store
    add = lambda p: p.recorded("modes", "quiz", Outcome.RIGHT, 1.0)  # noqa: E731
    first.update(add)
    assert second.update(add).modes["quiz"].attempts == 2
    assert read_progress(path).modes["quiz"].attempts == 2


def test_stats_reads_a_read_only_store(tmp_path):
    path = tmp_path / "p.json"
    write_progress(path, Progress().recorded("faults", "labels_n1", Outcome.RIGHT, 1.0))
    path.chmod(0o444)
    result = CliRunner().invoke(main, ["stats", "--store", str(path)])
    assert result.exit_code == 0 and "labels_n1" in result.output
