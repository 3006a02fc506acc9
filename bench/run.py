"""Benchmark of the diagnoser: forward calls, time and memory of one diagnosis, from the default
probe up to MNIST scale, against the elementwise loop it replaces.

    python bench/run.py            # three sizes, the side-by-side, the wall time of `run --all`
    python bench/run.py --quick    # the default size only
    python bench/run.py --every    # the whole catalog at every size (MNIST too)
    python bench/run.py --shape 64,32,48,10 --shape 128,784,256,10   # these sizes instead

Exits 1 when a verdict is wrong or a diagnosis takes more than MAX_CALLS forward calls; the
time targets are printed beside the numbers, not enforced (a loaded machine is not a wrong answer).
"""
import argparse
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so a plain checkout runs it too; the installed package is the same code

import numpy as np  # noqa: E402

import bugs  # noqa: E402
import core  # noqa: E402
from diagnose.engine.pipeline import diagnose  # noqa: E402
from diagnose.engine.probe import DEFAULT_SHAPE, make_probe, parse_shape  # noqa: E402
from core.family import MEMBERS  # noqa: E402
from diagnose.mutants.runs import CORE, DEFAULT_NET, subject_for  # noqa: E402

MNIST = (64, 784, 256, 10)
SIZES = (DEFAULT_SHAPE, (32, 256, 64, 10), MNIST)  # N <= min(D, H) + 1: layer isolation can run
SIDE_BY_SIDE = (32, 256, 64, 10)  # the elementwise loop still finishes here (34,197 forward calls)
MAX_CALLS = 60  # per diagnosis, at any size
TARGET_MNIST_MS = 1000  # per diagnosis at MNIST scale
TARGET_RUN_ALL_S = 2.0  # `python -m diagnose run --all`, start-up included
MB = 2.0**20


@dataclass(frozen=True)
class Row:
    """One diagnosed subject at one size."""

    shape: tuple
    params: int
    subject: str
    expected: str
    verdict: str
    calls: int
    ms: float
    peak_mb: float
    forward_mb: float

    @property
    def right(self):
        return self.verdict == self.expected


def n_params(shape):
    """D*H + H + H*C + C."""
    _, D, H, C = shape
    return D * H + H + H * C + C


def subjects(shape, every):
    """The whole catalog, the core and every member's core (`core@ACT,HEAD`); at MNIST scale only the checklist
    and the core unless `every`."""
    if shape == MNIST and not every:
        return [f.id for f in bugs.by_kind(bugs.Kind.CHECKLIST)] + [CORE]
    return [*bugs.CATALOG, CORE] + [f"{CORE}@{net}" for net in MEMBERS if str(net) != DEFAULT_NET]


def forward_mb(shape, seed):
    """Megabytes of one forward pass: its inputs (X, y, params) plus every array it allocates."""
    probe = make_probe(seed, shape)
    X, y, params = probe.X.copy(), probe.y.copy(), probe.fresh_params()
    inputs = X.nbytes + y.nbytes + sum(p.nbytes for p in params.values())
    tracemalloc.start()
    core.forward_loss(X, y, params)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (inputs + peak) / MB


def bench_one(bug_id, shape, seed, repeat, fwd_mb):
    """Time `repeat` diagnoses (the best counts), then one more under tracemalloc for the peak."""
    bug, _, net = bug_id.partition("@")  # core@ACT,HEAD: that member's core, its member recognised
    subject, expected = subject_for(bug, net or None)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = diagnose(subject, seed=seed, shape=shape)
        times.append(1000 * (time.perf_counter() - start))
    tracemalloc.start()
    diagnose(subject, seed=seed, shape=shape)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Row(shape, n_params(shape), bug_id, expected, report.verdict, report.forward_calls, min(times),
               peak / MB, fwd_mb)


def table(rows):
    """Aligned text table of the rows."""
    head = ("size N,D,H,C", "params", "subject", "expected", "verdict", "right", "calls", "ms",
            "peak MB", "1 fwd MB")
    body = [(",".join(map(str, r.shape)), f"{r.params:,}", r.subject, r.expected, r.verdict,
             "yes" if r.right else "NO", str(r.calls), f"{r.ms:.0f}", f"{r.peak_mb:.3g}", f"{r.forward_mb:.3g}")
            for r in rows]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    numeric = {1, 6, 7, 8, 9}
    return "\n".join("  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                     for row in [head, *body])


def size_summary(rows):
    """One line per size: calls, time and memory at their worst."""
    lines = []
    for shape in dict.fromkeys(r.shape for r in rows):
        at = [r for r in rows if r.shape == shape]
        worst = max(at, key=lambda r: r.peak_mb)
        lines.append(f"  {','.join(map(str, shape)):<14} {sum(r.right for r in at)}/{len(at)} right, "
                     f"at most {max(r.calls for r in at)} forward calls, at most {max(r.ms for r in at):.0f} ms, "
                     f"peak {worst.peak_mb:.3g} MB = {worst.peak_mb / worst.forward_mb:.1f} x one forward pass")
    return lines


def side_by_side(shape, seed, fwd_mb):
    """core.grad_check's loop over every entry against the diagnoser, both on the core."""
    probe = make_probe(seed, shape)
    X, y, params = probe.X.copy(), probe.y.copy(), probe.fresh_params()
    calls = 0

    def counted(X, y, params):
        nonlocal calls
        calls += 1
        return core.forward_loss(X, y, params)

    start = time.perf_counter()
    _, cache = counted(X, y, params)
    errors = core.grad_check(X, y, params, core.backward(cache, params), forward_loss=counted)
    loop_ms = 1000 * (time.perf_counter() - start)
    row = bench_one(CORE, shape, seed, 1, fwd_mb)
    head = f"side by side at N,D,H,C = {','.join(map(str, shape))} ({n_params(shape):,} parameters), on the core:"
    rows = [("method", "forward calls", "ms", "result"),
            ("core.grad_check, every entry", f"{calls:,}", f"{loop_ms:,.0f}",
             f"max relative error {max(errors.values()):.1e}"),
            ("diagnose (directional + isolation)", f"{row.calls:,}", f"{row.ms:,.0f}", f"verdict {row.verdict}"),
            ("ratio", f"{calls / row.calls:,.0f} x fewer", f"{loop_ms / row.ms:,.0f} x faster", "")]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [head] + ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return lines, row


def wall_time_run_all(runs=3):
    """Seconds of `python -m diagnose run --all` as a subprocess, start-up included; (times, exit codes)."""
    times, codes = [], []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "diagnose", "run", "--all"], cwd=ROOT,
                              capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        codes.append(done.returncode)
    return times, codes


def machine():
    """What the numbers were measured on."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    return (f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, "
            f"load average {load}, OPENBLAS_NUM_THREADS {threads}")


def shape_arg(text):
    try:
        return parse_shape(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the default size only")
    parser.add_argument("--every", action="store_true", help="the whole catalog at MNIST scale too")
    parser.add_argument("--seed", type=int, default=0, help="probe seed (default 0)")
    parser.add_argument("--repeat", type=int, default=1, help="time each diagnosis this many times, keep the best")
    parser.add_argument("--shape", type=shape_arg, action="append",
                        help="N,D,H,C to benchmark instead of the three standard sizes (repeatable)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print(f"benchmark, seed {args.seed}: {machine()}")
    sizes = args.shape or (SIZES[:1] if args.quick else SIZES)
    rows = []
    for shape in sizes:
        fwd = forward_mb(shape, args.seed)
        rows += [bench_one(bug_id, shape, args.seed, args.repeat, fwd) for bug_id in subjects(shape, args.every)]
    print()
    print(table(rows))
    print()
    print("per size:")
    print("\n".join(size_summary(rows)))

    wrong = [r for r in rows if not r.right]
    over = [r for r in rows if r.calls > MAX_CALLS]
    checks = [(f"every verdict right ({len(rows) - len(wrong)}/{len(rows)})", not wrong, True),
              (f"every diagnosis within {MAX_CALLS} forward calls (most: {max(r.calls for r in rows)})", not over, True)]
    mnist = [r for r in rows if r.shape == MNIST]
    if mnist:
        slowest = max(r.ms for r in mnist)
        checks.append((f"MNIST scale: every diagnosis under {TARGET_MNIST_MS} ms (slowest: {slowest:.0f} ms)",
                       slowest < TARGET_MNIST_MS, False))
    if not args.quick:
        print()
        lines, row = side_by_side(SIDE_BY_SIDE, args.seed, forward_mb(SIDE_BY_SIDE, args.seed))
        print("\n".join(lines))
        checks.append(("side by side: the diagnoser calls the core healthy", row.right, True))
        times, codes = wall_time_run_all()
        print()
        print(f"`python -m diagnose run --all` wall time, start-up included: "
              f"{', '.join(f'{t:.2f} s' for t in times)} (exit codes {', '.join(map(str, codes))})")
        checks.append(("`run --all` exits 0 (every verdict right)", all(c == 0 for c in codes), True))
        checks.append((f"`run --all` under {TARGET_RUN_ALL_S:g} s (best: {min(times):.2f} s)",
                       min(times) < TARGET_RUN_ALL_S, False))
    print()
    for text, ok, enforced in checks:
        print(f"[{'ok' if ok else 'FAIL' if enforced else 'missed'}] {text}" + ("" if enforced else " (target, not enforced)"))
    for r in wrong:
        print(f"WRONG: {r.subject} at {r.shape}, seed {args.seed}: verdict {r.verdict}, expected {r.expected}")
    return 0 if all(ok for _, ok, enforced in checks if enforced) else 1


if __name__ == "__main__":
    sys.exit(main())
