"""Running the engine on catalogued mutants: the wiring behind `diagnose run`.

This is the one place that looks a mutant up by id; the engine it calls never does.
"""
import time
from dataclasses import dataclass

import bugs
import core
from diagnose.engine.pipeline import diagnose
from diagnose.engine.findings import HEALTHY

CORE = "core"


def subject_for(bug_id):
    """(subject, expected verdict) for a catalog id or 'core'."""
    if bug_id == CORE:
        return core, HEALTHY
    fault = bugs.get(bug_id)
    expected = HEALTHY if fault.kind == bugs.Kind.EQUIVALENT else fault.id
    return bugs.make_mutant(fault), expected


@dataclass(frozen=True)
class Row:
    """One diagnosed subject of `run --all`."""

    bug: str
    expected: str
    report: object
    ms: float

    @property
    def right(self):
        return self.report.verdict == self.expected

    def to_dict(self):
        r = self.report
        return {"bug": self.bug, "expected": self.expected, "verdict": r.verdict, "faults": list(r.faults),
                "stage": r.stage, "right": self.right, "forward_calls": r.forward_calls, "ms": round(self.ms, 1)}


def run_one(bug_id, seed=0, shape=None):
    """Diagnose the mutant `bug_id` (or the core) and time it: a Row."""
    subject, expected = subject_for(bug_id)
    start = time.perf_counter()
    report = diagnose(subject, seed=seed, shape=shape)
    return Row(bug_id, expected, report, 1000 * (time.perf_counter() - start))


def run_all(seed=0, shape=None):
    """Every catalogued fault, the equivalent mutants and the core."""
    return [run_one(bug_id, seed, shape) for bug_id in [*bugs.CATALOG, CORE]]


def rows_table(rows):
    """The `run --all` table: id, expected, verdict, first failing stage, right, calls, ms."""
    head = ("bug", "expected", "verdict", "first failing stage", "right", "calls", "ms")
    body = [(r.bug, r.expected, r.report.verdict, r.report.stage or "-", "yes" if r.right else "NO",
             str(r.report.forward_calls), f"{r.ms:.0f}") for r in rows]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [head, *body]]
    right = sum(r.right for r in rows)
    return "\n".join(lines) + f"\n{right}/{len(rows)} right\n"
