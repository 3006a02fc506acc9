"""Text rendering of a Report: the stages in order, the numbers lined up, then the fix."""
from core.family import NET as DEFAULT_NET
from core.family import parse_net
from diagnose.engine.findings import Stage
from diagnose.engine.remedies import remedy


def check_table(checks):
    """The gradient-check table: tensor, relative error, ratio, the largest entry side by side."""
    rows = [("tensor", "rel error", "analytic/numeric", "largest entry: analytic vs numeric")]
    for c in checks:
        ratio = "-" if c.ratio is None else f"{c.ratio:.4g}" + (" (constant)" if c.constant else " (varies)")
        at = "-" if c.index is None else f"{list(c.index)}: {c.analytic:.4g} vs {c.numeric:.4g}"
        rows.append((c.name, f"{c.rel_error:.1e}", ratio, at))
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
    return lines


BASIS_WORDS = {"recognised from the loss": "recognised from the loss", "given": "given with --net",
               "gradients": "no member's loss matches; the gradients are this member's",
               "nearest": "no member's loss matches; judged as the member whose gradients are nearest",
               "default": "no member's loss matches; judged as the default net"}


def net_lines(report):
    """`net: tanh hidden layer, softmax + cross-entropy (recognised from the loss)`; nothing for the default net
    recognised as such, so the reports of core/net.py's net read as they always have."""
    net, basis = getattr(report, "net", None), getattr(report, "net_basis", "")
    if not net or (net == DEFAULT_NET and basis == "recognised from the loss"):
        return []
    return [f"net: {parse_net(net).describe()} ({BASIS_WORDS.get(basis, basis)})"]


def render_report(report, reveal=True):
    """The report as text; reveal=False leaves out the verdict, the meanings and the fix."""
    N, D, H, C = report.shape
    lines = []
    if reveal:
        head = f"verdict: {report.verdict}"
        if report.faults:
            head += f" ({remedy(report.faults[0])[0]})"
        if report.stage:
            head += f"; first failing stage: {report.stage}"
        lines.append(head)
        if len(report.faults) > 1:
            lines.append(f"faults found: {', '.join(report.faults)}")
    calls = f"{report.forward_calls} forward call" + ("" if report.forward_calls == 1 else "s")
    lines.append(f"probe: seed {report.seed}, N={N} D={D} H={H} C={C}; {calls}")
    lines += net_lines(report)
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
        lines += [f"  {line}" for line in report.fix.splitlines()]
    return "\n".join(lines) + "\n"
