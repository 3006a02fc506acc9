"""Hints in three steps, each a little closer to the answer: which stage fails, which tensor, which line.

From a check of the person's file (its observations), and for a catalog mutant also from
the fault record: the tensor its changed line assigns and that line's number in the file.
"""
import re

from diagnose.practice.conceal import failing_stages

STEPS = 3


def stage_hint(report):
    """Step 1: what fails first: the file itself, a call that raised, or the first failing stage."""
    if report is None:
        return "the file could not be checked at all: fix the error the check printed first"
    if report.failure is not None:
        f = report.failure
        return f"{f.call} fails during the stage '{f.stage}': {f.message}"
    stages = failing_stages(report)
    if not stages:
        return "every stage passes on the last check: press Enter to check again"
    return f"look at the stage '{stages[0].value}' first" + (
        f" (then {', '.join(s.value for s in stages[1:])})" if len(stages) > 1 else "")


def failing_tensors(report):
    """Tensors whose gradient check failed (rel error above 1e-5 or a ratio other than 1)."""
    return [c.name for c in report.checks
            if c.rel_error is None or c.rel_error > 1e-5 or (c.ratio is not None and abs(c.ratio - 1) > 1e-3)]


def assigned_name(line):
    """The variable a source line assigns (`dZ1 = ...` gives dZ1), or None."""
    match = re.match(r"\s*([A-Za-z_]\w*)(\[.*\])?\s*[-+*/]?=(?!=)", line)
    return match.group(1) if match else None


def tensor_hint(report, lines=()):
    """Step 2: the tensor to look at: what the faulty lines assign, else the gradients that fail."""
    names = [n for n in (assigned_name(line) for line in lines) if n]
    if names:
        return "the tensor to look at: " + ", ".join(dict.fromkeys(names))
    if report is not None and report.failure is not None:
        return f"start with what {report.failure.call} computes"
    tensors = failing_tensors(report) if report is not None else []
    if tensors:
        return "the gradients that fail the check: " + ", ".join(f"d{t}" for t in tensors)
    if report is not None and not failing_stages(report):
        return "nothing fails: the file may be right as it is; press Enter to check it"
    return "no gradient fails the check: look at what the failing stage observed"


def line_hint(where=(), report=None):
    """Step 3: the line itself (for a mutant: `where` holds (line number, function) pairs), else the fix."""
    if where:
        return "; ".join(f"line {n} of the file, in {function}()" for n, function in where)
    raised = re.findall(r"line (\d+), in (\w+)", "\n".join(report.failure.trace)) if report and report.failure else []
    if raised:
        n, function = raised[-1]
        return f"line {n} of the file, in {function}(), is where it fails"
    if report is not None and report.fix:
        return "the line to write: " + "; ".join(line.split(": ", 1)[-1] for line in report.fix.splitlines())
    if report is not None and report.failure is None and not failing_stages(report):
        return "no line needs changing while every stage passes"
    return "compare your code line by line with the formulas in the note (dZ2 = (P - onehot(y)) / N first)"


def hint(step, report, lines=(), where=()):
    """Hint number `step` (1 to 3)."""
    if step == 1:
        return stage_hint(report)
    if step == 2:
        return tensor_hint(report, lines)
    return line_hint(where, report)
