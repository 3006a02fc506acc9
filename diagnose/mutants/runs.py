"""Running the engine on catalogued mutants: the wiring behind `diagnose run`.

This is the one place that looks a mutant up by id; the engine it calls never does.
"""
import time
from dataclasses import dataclass

import bugs
import core
import core.family
from diagnose.engine.pipeline import diagnose
from diagnose.engine.findings import HEALTHY
from diagnose.engine.remedies import is_caution

CORE = "core"
DEFAULT_NET = str(core.family.Net())


def subject_for(bug_id, net=None):
    """(subject, expected verdict) for a catalog id, or for 'core' of member `net` (core/net.py by default).

    A fault whose only observable effect the engine words as a caution (its vocabulary
    says so, e.g. log_no_eps) is expected to be `healthy`, with that caution.
    """
    if bug_id == CORE:
        is_default = net is None or str(core.family.parse_net(net)) == DEFAULT_NET
        return (core if is_default else core.family.member(net)), HEALTHY
    fault = bugs.get(bug_id)
    healthy = fault.kind == bugs.Kind.EQUIVALENT or is_caution(fault.id)
    return bugs.make_mutant(fault), HEALTHY if healthy else fault.id


def expected_caution(bug_id):
    """The caution a healthy verdict must carry for this id, or None."""
    return bug_id if bug_id != CORE and bugs.get(bug_id).kind != bugs.Kind.EQUIVALENT and is_caution(bug_id) else None


def net_of(bug_id, net=None):
    """The member a run diagnoses: the fault's own, or `net` (default relu,softmax_ce) for the core."""
    if bug_id == CORE:
        return str(core.family.parse_net(net or DEFAULT_NET))
    return bugs.get(bug_id).net


@dataclass(frozen=True)
class Row:
    """One diagnosed subject of `run --all`."""

    bug: str
    expected: str
    report: object
    ms: float
    caution: str | None = None  # the caution expected with a healthy verdict
    net: str = DEFAULT_NET

    @property
    def right(self):
        """The expected verdict; when that is healthy, exactly the expected cautions too."""
        if self.report.verdict != self.expected:
            return False
        if self.expected != HEALTHY:
            return True
        return [c.id for c in getattr(self.report, "cautions", ())] == ([self.caution] if self.caution else [])

    @property
    def expected_words(self):
        """'missing_div_n', 'healthy', or 'healthy+log_no_eps' for an expected caution."""
        return f"{self.expected}+{self.caution}" if self.caution else self.expected

    def to_dict(self):
        r = self.report
        return {"bug": self.bug, "net": self.net, "expected": self.expected, "expected_caution": self.caution,
                "verdict": r.verdict, "faults": list(r.faults), "cautions": [c.id for c in r.cautions],
                "stage": r.stage, "right": self.right, "forward_calls": r.forward_calls, "ms": round(self.ms, 1)}


def run_one(bug_id, seed=0, shape=None, net=None, tell=True):
    """Diagnose the mutant `bug_id` (or the core of member `net`) and time it: a Row.

    With `tell`, `net` is also given to the diagnoser instead of letting it recognise the member.
    """
    (subject, expected), caution = subject_for(bug_id, net), expected_caution(bug_id)
    start = time.perf_counter()
    report = diagnose(subject, seed=seed, shape=shape, net=net if tell else None)
    return Row(bug_id, expected, report, 1000 * (time.perf_counter() - start), caution, net_of(bug_id, net))


def run_all(seed=0, shape=None):
    """Every catalogued fault on its member, the equivalent mutants, and the core of every member, each member
    recognised from its loss."""
    faults = [run_one(bug_id, seed, shape) for bug_id in bugs.CATALOG]
    return faults + [run_one(CORE, seed, shape, str(net), tell=False) for net in core.family.MEMBERS]


def rows_table(rows):
    """The `run --all` table: id, member, expected, verdict, first failing stage, right, calls, ms."""
    head = ("bug", "net", "expected", "verdict", "first failing stage", "right", "calls", "ms")
    body = [(r.bug, r.net, r.expected_words, r.report.verdict, r.report.stage or "-", "yes" if r.right else "NO",
             str(r.report.forward_calls), f"{r.ms:.0f}") for r in rows]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [head, *body]]
    right = sum(r.right for r in rows)
    return "\n".join(lines) + f"\n{right}/{len(rows)} right\n"
