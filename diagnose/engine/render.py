"""Text rendering of a Report: the stages in order, the numbers lined up, then the fix."""
import dataclasses

from core.family import NET as DEFAULT_NET
from core.family import parse_net
from diagnose.engine.findings import Stage
from diagnose.engine.remedies import family_words, term


CHECK_HEAD = ("tensor", "rel error", "analytic/numeric", "largest entry: analytic vs numeric")


def check_cells(c):
    """One TensorCheck as the table's four cells: tensor, relative error, ratio, the largest entry side by side."""
    err = "-" if c.rel_error is None else f"{c.rel_error:.1e}"
    ratio = "-" if c.ratio is None else f"{c.ratio:.4g}" + (" (constant)" if c.constant else " (varies)")
    at = "-" if c.index is None else f"{list(c.index)}: {c.analytic:.4g} vs {c.numeric:.4g}"
    return c.name, err, ratio, at


def check_table(checks):
    """The gradient-check table for the terminal, its first three columns aligned."""
    rows = [CHECK_HEAD] + [check_cells(c) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}" for r in rows]


def stage_lines(report, stage, number, reveal):
    """The block of one stage: a status line, then its findings (and the table for the check)."""
    findings = [f for f in report.findings if f.stage == stage]
    if not findings and not (stage == Stage.GRADCHECK and report.checks):
        return [f"{number}. {stage.value}: not run"]
    status = "FAIL" if any(not f.passed for f in findings) else "ok"
    lines = [f"{number}. {stage.value}: {status}"]
    if stage == Stage.GRADCHECK and report.checks:
        lines += ["     " + row for row in check_table(report.checks)]
    for f in findings:
        lines.append(f"   - {f.observed}")
        if reveal and f.meaning and not f.passed:
            lines.append(f"     => {f.meaning}" + (f" [{f.fault}]" if f.fault else ""))
        elif reveal and f.caution:
            lines.append(f"     => caution: {f.meaning} [{f.caution}]")
    return lines


BASIS_WORDS = {"recognised from the loss": "recognised from the loss", "given": "given with --net",
               "gradients": "no member's loss matches; the gradients are this member's",
               "nearest": "no member's loss matches; judged as the member whose gradients are nearest",
               "default": "no member's loss matches; judged as the default net"}


def net_lines(report, reveal=True):
    """`net: tanh hidden layer, softmax + cross-entropy (recognised from the loss)`; nothing for the default net
    recognised as such, so the reports of core/net.py's net read as they always have. Without `reveal` (a drill)
    the loss convention is left out: "sum over the batch" would give a summed loss away."""
    net, basis = getattr(report, "net", None), getattr(report, "net_basis", "")
    if not net:
        return []
    net = parse_net(net) if reveal else dataclasses.replace(parse_net(net), convention="mean")
    if str(net) == DEFAULT_NET and basis == "recognised from the loss":
        return []
    words = BASIS_WORDS.get(basis, basis)
    if basis == "default" and report.failure is not None:  # no loss may have been seen at all: claim no match
        words = "not recognised before the subject failed; the default net is assumed"
    return [f"net: {net.describe()} ({words})"]


def plural(n, word):
    """'1 caution', '2 cautions'."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def head_lines(report):
    """The verdict line (with the family of the first fault) and the list of faults when several."""
    head = f"verdict: {report.verdict}"
    if report.faults:
        head += f" — {family_words(report.faults[0], report.net)}"
    elif report.cautions:
        head += f" ({plural(len(report.cautions), 'caution')})"
    if report.stage:
        head += f"; first failing stage: {report.stage}"
    if report.faults and report.cautions:
        head += f"; {plural(len(report.cautions), 'caution')}"
    lines = [head]
    if len(report.faults) > 1:
        lines.append(f"faults found: {', '.join(report.faults)}")
    return lines


def remedy_line(report, fault):
    """'  id (in backward, dW1): the fix' for the fix and caution sections."""
    where = report.function_of(fault) + "".join(f", d{name}" for name in report.tensors_of(fault))
    return f"  {fault} (in {where}): {term(fault, report.net).fix}"


def render_report(report, reveal=True):
    """The report as text; reveal=False leaves out the verdict, the meanings and the fix."""
    N, D, H, C = report.shape
    lines = head_lines(report) if reveal else []
    lines.append(f"probe: seed {report.seed}, N={N} D={D} H={H} C={C}; {plural(report.forward_calls, 'forward call')}")
    lines += net_lines(report, reveal)
    for number, stage in enumerate(Stage, 1):
        lines += stage_lines(report, stage, number, reveal)
    if report.failure:
        f = report.failure
        lines.append(f"the subject's {f.call} failed during {f.stage}: {f.message}")
        lines += ["  " + line for line in f.trace]
    for item in report.skipped:
        lines.append(f"not checked: {item}")
    for note in report.notes:
        lines.append(f"note: {note}")
    if reveal and report.faults:
        lines.append("fix:")
        lines += [remedy_line(report, fault) for fault in report.faults]
    if reveal and report.cautions:
        lines.append("caution:" if len(report.cautions) == 1 else "cautions:")
        lines += [remedy_line(report, c.id) for c in report.cautions]
    return "\n".join(lines) + "\n"
