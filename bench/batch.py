"""Benchmark of batch checking: files per second of `diagnose check DIR` against one file at a time.

    python bench/batch.py            # 200 files (the catalog's mutants and the core, repeated)
    python bench/batch.py --quick    # 24 files, 3 of them one at a time
    python bench/batch.py --blas     # also: BLAS threads left as configured vs one per child

Every file is a real file on disk, checked through the command line as a person would; the
one-at-a-time row runs `diagnose check FILE` per file (a fresh interpreter each). Exits 1
when a verdict is wrong; the target (TARGET files per second) is printed, not enforced.
"""
import argparse
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bugs  # noqa: E402
import core.net  # noqa: E402
from diagnose.check.batch import check_files, expand  # noqa: E402
from diagnose.check.isolate import make_limits  # noqa: E402
from diagnose.mutants.runs import CORE, subject_for  # noqa: E402

TARGET = 10.0  # files per second, 200 small files, 2 cores
BLAS_SHAPE = (32, 256, 64, 10)  # big enough for BLAS to use threads, small enough to stay quick


def write_files(directory, count):
    """`count` files cycling through the core and every catalog mutant; {path: expected verdict}."""
    sources = [("core", inspect.getsource(core.net), subject_for(CORE)[1])]
    sources += [(f.id, bugs.apply(f), subject_for(f.id)[1]) for f in bugs.FAULTS]  # a caution-only fault: healthy
    expected = {}
    for i in range(count):
        name, text, verdict = sources[i % len(sources)]
        path = Path(directory) / f"{i:04d}_{name}.py"
        path.write_text(text, encoding="utf-8")
        expected[str(path)] = verdict
    return expected


def cli(*args):
    """Seconds and the stdout of `python -m diagnose ARGS` (start-up included, as a person waits)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "diagnose", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=3600)
    return time.perf_counter() - start, done.stdout


def one_at_a_time(paths):
    """`diagnose check --json FILE` for each path: seconds and {file: verdict}."""
    seconds, verdicts = 0.0, {}
    for path in paths:
        took, out = cli("check", "--json", path)
        doc = json.loads(out)
        seconds, verdicts[doc["file"]] = seconds + took, doc["verdict"]
    return seconds, verdicts


def batch(directory, jobs):
    """`diagnose check --jsonl --jobs N DIR`: seconds and {file: verdict}."""
    seconds, out = cli("check", "--jsonl", "--jobs", jobs, directory)
    docs = [json.loads(line) for line in out.splitlines()]
    return seconds, {os.path.abspath(os.path.join(ROOT, d["file"])): d["verdict"] for d in docs}


def blas_rows(expected, count):
    """In-process batches at BLAS_SHAPE with BLAS at one thread per child and as configured."""
    files = list(expected)[:count]
    rows = []
    for label, threads in (("one thread per child", 1), ("as configured", None)):
        start = time.perf_counter()
        results = check_files(files, seed=0, shape=BLAS_SHAPE, limits=make_limits(output_bytes=0), jobs=2,
                              blas_threads=threads)
        rows.append((f"--jobs 2, shape {','.join(map(str, BLAS_SHAPE))}, BLAS {label}", len(files),
                     time.perf_counter() - start, {r.path: (r.report.verdict if r.report else "error") for r in results}))
    return rows


def wrong(expected, verdicts, count):
    """Files whose verdict is not the expected one; 'missing' when fewer than `count` came back."""
    return [p for p in verdicts if verdicts[p] != expected.get(p)] + (["missing"] if len(verdicts) < count else [])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="24 files, 3 of them one at a time")
    parser.add_argument("--files", type=int, default=200, help="files in the batch (default 200)")
    parser.add_argument("--single", type=int, default=10, help="files checked one at a time (default 10)")
    parser.add_argument("--blas", action="store_true", help="compare BLAS threads at a larger shape")
    args = parser.parse_args(argv)
    count, singles = (24, 3) if args.quick else (args.files, args.single)
    with tempfile.TemporaryDirectory() as directory:
        expected = write_files(directory, count)
        rows = []
        took, verdicts = one_at_a_time(list(expected)[:singles])
        rows.append(("`check FILE`, one at a time", singles, took, verdicts))
        for jobs in (1, 2):
            took, verdicts = batch(directory, jobs)
            rows.append((f"`check DIR --jobs {jobs}`", count, took, verdicts))
        if args.blas:
            rows += blas_rows(expected, min(count, 40))
        print(table(rows))
        bad = sorted({p for _, n, _, verdicts in rows for p in wrong(expected, verdicts, n)})
    fast = count / rows[2][2]
    print(f"[{'ok' if fast >= TARGET else 'below target'}] --jobs 2: {fast:.1f} files/s (target {TARGET:g})")
    print(f"[{'ok' if not bad else 'WRONG'}] every verdict right" + (f": wrong for {bad}" if bad else ""))
    return 1 if bad else 0


def table(rows):
    """The rows as an aligned table: how, files, seconds, files per second."""
    lines = [f"{'how':<62} {'files':>5} {'seconds':>8} {'files/s':>8}"]
    lines += [f"{how:<62} {n:>5} {s:>8.2f} {n / s:>8.1f}" for how, n, s, _ in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
