"""The progress store: where it lives, atomic writes, and corrupt files moved aside, never fatal."""
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagnose.cli.main import main
from diagnose.practice.stats import stats_text
from diagnose.practice.store import (ENV_VAR, MAX_TIMES, Outcome, Progress, Store, Tally, backup_path, read_progress,
                                     resolve_path, write_progress)


def sample_progress():
    """Progress after a few answers in two modes and one quiz topic."""
    p = Progress()
    p = p.recorded("faults", "labels_n1", Outcome.RIGHT, 3.25)
    p = p.recorded("faults", "labels_n1", Outcome.WRONG, 5.0)
    p = p.recorded("modes", "code", Outcome.LATE, 12.0)
    return p.recorded("topics", "dZ2", Outcome.RIGHT, 1.5)


class Warnings(list):
    """Collects warnings; callable like Store's `warn`."""

    def __call__(self, message):
        self.append(message)


# -- where -----------------------------------------------------------------------------

def test_explicit_path_beats_environment_and_data_dir(tmp_path):
    env = {ENV_VAR: str(tmp_path / "env.json"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert resolve_path(tmp_path / "mine.json", env) == tmp_path / "mine.json"


def test_environment_variable_beats_data_dir(tmp_path):
    env = {ENV_VAR: str(tmp_path / "env.json"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert resolve_path(None, env) == tmp_path / "env.json"


def test_xdg_data_home_then_local_share():
    assert resolve_path(None, {"XDG_DATA_HOME": "/data"}) == Path("/data/backprop-drills/progress.json")
    assert resolve_path(None, {}) == Path.home() / ".local/share/backprop-drills/progress.json"


# -- what ------------------------------------------------------------------------------

def test_tally_counts_streaks_and_late_answers():
    t = Tally().recorded(Outcome.RIGHT, 1).recorded(Outcome.RIGHT, 2).recorded(Outcome.LATE, 9)
    assert (t.attempts, t.right, t.late, t.streak, t.best_streak, t.misses) == (3, 2, 1, 0, 2, 1)
    assert t.median_time() == 2


def test_tally_keeps_only_recent_times():
    t = Tally()
    for i in range(MAX_TIMES + 10):
        t = t.recorded(Outcome.RIGHT, i)
    assert len(t.times) == MAX_TIMES
    assert t.times[0] == 10
    assert t.attempts == MAX_TIMES + 10


def test_progress_round_trips_through_the_file(tmp_path):
    path = tmp_path / "p.json"
    write_progress(path, sample_progress())
    assert read_progress(path) == sample_progress()
    assert json.loads(path.read_text())["faults"]["labels_n1"]["right"] == 1


def test_missing_file_is_fresh_progress(tmp_path):
    assert read_progress(tmp_path / "none.json") == Progress()


def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    write_progress(path, sample_progress())
    before = path.read_text()

    def broken(self):
        return {"version": 1, "faults": {"x": object()}}  # json.dump fails halfway through

    monkeypatch.setattr(Progress, "to_dict", broken)
    with pytest.raises(TypeError):
        write_progress(path, Progress())
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


# -- corrupt or unreadable files ---------------------------------------------------------

@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe garbage", b"[]", b'{"version": 99}',
    b'{"version": 1, "faults": {"labels_n1": {"attempts": -1}}}',
    b'{"version": 1, "faults": {"labels_n1": {"attempts": 1, "right": 5, "late": 0, "streak": 0, '
    b'"best_streak": 0, "times": []}}}',
    b"[" * 100_000,
    b'{"version": 1, "faults": {"labels_n1": {"attempts": 1, "right": 1, "late": 0, "streak": 1, '
    b'"best_streak": 1, "times": [], "last_seen": 1e300}}}',
    b'{"version": 1, "history": [{"when": null, "mode": "quiz", "level": null, "item": "dZ2", "outcome": "right"}]}',
    b'{"version": 1, "interviews": [{"when": 1}]}',
])
def test_corrupt_file_is_moved_aside_with_one_warning(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_bytes(content)
    warnings = Warnings()
    assert Store(path, warnings).load() == Progress()
    assert not path.exists()
    assert (tmp_path / "p.json.corrupt").read_bytes() == content
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert str(path) in warnings[0] and "p.json.corrupt" in warnings[0]


def test_backups_never_overwrite_each_other(tmp_path):
    path = tmp_path / "p.json"
    (tmp_path / "p.json.corrupt").write_text("old backup")
    assert backup_path(path) == tmp_path / "p.json.corrupt.1"


def test_save_failure_warns_once_and_does_not_raise(tmp_path, monkeypatch):
    warnings = Warnings()
    store = Store(tmp_path / "p.json", warnings)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    store.save(sample_progress())
    assert store.update(lambda p: p.recorded("modes", "quiz", Outcome.RIGHT, 1.0)).modes["quiz"].right == 1
    assert len(warnings) == 1 and "could not save" in warnings[0] and "No space left" in warnings[0]
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


# -- the commands ---------------------------------------------------------------------------

def test_drill_with_a_corrupt_store_warns_and_saves_afresh(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{truncated")
    result = CliRunner().invoke(main, ["drill", "--mode", "quiz", "--rounds", "1", "--seed", "0",
                                       "--store", str(path)], input="1\n")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "is unreadable" in result.stderr and len(result.stderr.splitlines()) == 1
    assert (tmp_path / "p.json.corrupt").read_text() == "{truncated"
    assert read_progress(path).modes["quiz"].attempts == 1


def test_store_environment_variable_is_used(tmp_path):
    path = tmp_path / "env.json"
    result = CliRunner().invoke(main, ["drill", "--mode", "quiz", "--rounds", "1", "--seed", "0"],
                                input="1\n", env={ENV_VAR: str(path)})
    assert result.exit_code == 0, result.output
    assert read_progress(path).modes["quiz"].attempts == 1


def test_stats_prints_a_row_per_fault(tmp_path):
    path = tmp_path / "p.json"
    write_progress(path, sample_progress())
    result = CliRunner().invoke(main, ["stats", "--store", str(path)])
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith("labels_n1"))
    assert row.split() == ["labels_n1", "2", "1", "0", "1", "-", "4.1", "s"]  # seen, right, streak, box, last seen,
    assert "seen  right  streak  box  last seen  median time" in result.stdout  # median of 3.25 and 5


def test_stats_json_is_one_document(tmp_path):
    path = tmp_path / "p.json"
    write_progress(path, sample_progress())
    result = CliRunner().invoke(main, ["stats", "--store", str(path), "--json"])
    doc = json.loads(result.stdout)
    assert doc["store"] == str(path)
    assert doc["faults"]["labels_n1"] == {"attempts": 2, "right": 1, "late": 0, "streak": 0, "best_streak": 1,
                                          "box": 1, "last_seen": None, "median_seconds": 4.125}
    assert doc["modes"]["code"]["late"] == 1


def test_stats_on_an_empty_store_says_so(tmp_path):
    assert "No drills recorded" in stats_text(Progress(), tmp_path / "p.json")
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "none.json")])
    assert result.exit_code == 0 and "No drills recorded" in result.stdout
