"""bench/batch.py runs and judges itself: a table of files per second and every verdict right.

Throughput is printed by the script, never asserted here: a loaded machine is not a bug.
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_batch_bench_quick_prints_the_table_and_every_verdict_right():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "batch.py"), "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert lines[0].split() == ["how", "files", "seconds", "files/s"]
    assert [line.split("  ")[0] for line in lines[1:4]] == [
        "`check FILE`, one at a time", "`check DIR --jobs 1`", "`check DIR --jobs 2`"]
    assert [int(line.split()[-3]) for line in lines[1:4]] == [3, 24, 24]
    assert lines[-1] == "[ok] every verdict right"
