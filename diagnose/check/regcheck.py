"""The regularisation check for a TwoLayerNet class: the loss's penalty and the gradients' must agree.

The engine judges the class at reg = 0. The penalty's own share is then
P(theta) = L_reg(theta) - L_0(theta) in the loss and G = g_reg - g_0 in the gradients,
whatever the convention (0.5 * reg * sum W^2 or reg * sum W^2, biases or not): G must
be the gradient of P. Along a random direction v of each tensor, G.v is compared with
(P(theta + h v) - P(theta - h v)) / 2h, which is exact for a quadratic penalty at any h.
A data-term fault cancels in both differences, so it is never blamed on the penalty.
"""
from dataclasses import dataclass, replace

import numpy as np

from core import PARAM_KEYS
from diagnose.engine.findings import ERROR, Failure, Finding, Stage
from diagnose.engine.probe import make_probe
from diagnose.engine.report import conclude
from diagnose.engine.stages.directional import directions
from diagnose.engine.subject import Subject, SubjectFailed

REG = 0.1
STAGE = "regularisation"
FAULT = "reg_mismatch"


@dataclass(frozen=True)
class Term:
    """One tensor's penalty: d/dv of the loss's penalty (numeric) and of the gradients' (analytic)."""

    name: str
    numeric: float
    analytic: float


class Penalty:
    """The penalty's share of the loss and the gradients, observed through two subjects."""

    def __init__(self, form, probe, wrap):
        self.probe = probe
        self.plain, self.regular = wrap(form.with_reg(0.0)), wrap(form.with_reg(REG))

    def call(self, subject, params):
        """(loss as an array, grads) of one subject at params, on the probe's data."""
        subject.stage = STAGE
        loss, grads, _ = subject.loss_and_grads(self.probe.X.copy(), self.probe.y.copy(), params)
        loss = np.asarray(loss)
        if loss.ndim != 0 or not np.issubdtype(loss.dtype, np.number):
            raise SubjectFailed(STAGE, "loss", f"the loss at reg = {REG:g} is not a scalar: shape {loss.shape}, "
                                               f"dtype {loss.dtype}", ())
        return loss, grads

    def loss_share(self, params):
        """P(params) = L_reg - L_0."""
        fresh = {k: v.copy() for k, v in params.items()}
        return float(self.call(self.regular, params)[0]) - float(self.call(self.plain, fresh)[0])

    def along(self, name, v, h):
        """Central difference of P along direction v of tensor `name`."""
        plus, minus = self.probe.fresh_params(), self.probe.fresh_params()
        plus[name] = plus[name] + h * v
        minus[name] = minus[name] - h * v
        return (self.loss_share(plus) - self.loss_share(minus)) / (2 * h)

    @property
    def calls(self):
        """Forward calls both subjects made."""
        return self.plain.forward_calls + self.regular.forward_calls


def usable(grads, name, param):
    """The gradient of `name` as float64 in the param's shape, or None."""
    if not isinstance(grads, dict) or name not in grads:
        return None
    g = np.asarray(grads[name])
    if g.shape != param.shape or not np.issubdtype(g.dtype, np.number):
        return None
    return g.astype(np.float64)


def terms(penalty):
    """(Term per usable tensor, low precision?) at the probe's params."""
    params = penalty.probe.params
    loss0, g0 = penalty.call(penalty.plain, penalty.probe.fresh_params())
    loss_r, g_r = penalty.call(penalty.regular, penalty.probe.fresh_params())
    low = loss0.dtype != np.float64 or loss_r.dtype != np.float64 or any(
        np.asarray(g[k]).dtype != np.float64 for g in (g0, g_r) if isinstance(g, dict) for k in g)
    h = 1e-2 if low else 1e-3
    found = []
    for name in PARAM_KEYS:
        a0, ar = usable(g0, name, params[name]), usable(g_r, name, params[name])
        if a0 is None or ar is None:
            continue
        v = directions(penalty.probe.seed + 3, name, params[name].shape, k=1)[0]
        with np.errstate(invalid="ignore", over="ignore"):  # inf in the subject's gradients: NaN is the evidence
            found.append(Term(name, penalty.along(name, v, h), float(np.vdot(ar - a0, v))))
    return found, low


def ratio_words(c):
    """How a constant ratio analytic / numeric reads."""
    for value, words in ((2.0, "twice"), (0.5, "half"), (-1.0, "minus")):
        if abs(c - value) <= 1e-2 * abs(value):
            return f"{words} the derivative of the loss's penalty"
    return f"{c:.4g} x the derivative of the loss's penalty"


def judge(found, tol):
    """The Finding: every tensor's two penalty terms agree, or which disagree and how."""
    scale = max([abs(t.numeric) for t in found] + [abs(t.analytic) for t in found] + [0.0])
    if scale < 1e-9:
        return Finding(Stage.GRADCHECK, True, f"at reg = {REG:g} neither the loss nor the gradients change: "
                                              "nothing is regularised, consistently")
    zero = tol * scale
    wrong, kinds, regularised = [], set(), []
    for t in found:
        if abs(t.numeric) > zero or abs(t.analytic) > zero:
            regularised.append(t.name)
        if abs(t.analytic - t.numeric) <= zero:
            continue
        if abs(t.analytic) <= zero:
            kinds.add("a penalty in the loss without its gradient")
            what = f"the loss penalises {t.name} but d{t.name} has no penalty term"
        elif abs(t.numeric) <= zero:
            kinds.add("a gradient term without its penalty in the loss")
            what = f"d{t.name} has a penalty term but the loss does not penalise {t.name}"
        else:
            kinds.add("a penalty whose gradient has another factor")
            what = f"d{t.name}'s penalty term is {ratio_words(t.analytic / t.numeric)}"
        wrong.append(f"{what} (along a random direction: {t.analytic:.4g} in the gradient, "
                     f"{t.numeric:.4g} from the loss)")
    if not wrong:
        rest = [t.name for t in found if t.name not in regularised]
        seen = f"at reg = {REG:g} the loss's penalty and the gradients' agree on {', '.join(regularised)}"
        return Finding(Stage.GRADCHECK, True, seen + (f" ({', '.join(rest)} not regularised)" if rest else ""))
    seen = f"at reg = {REG:g} the gradients' penalty is not the gradient of the loss's penalty: " + "; ".join(wrong)
    meaning = "the regularisation term of the loss and of the gradient disagree: " + " and ".join(sorted(kinds))
    return Finding(Stage.GRADCHECK, False, seen, meaning, FAULT)


def with_finding(report, finding, calls):
    """The report with one more finding, its fault, verdict and first failing stage recomputed."""
    findings = report.findings + (finding,)
    verdict, faults, cautions, stage = conclude(findings)
    return replace(report, verdict=verdict, faults=faults, cautions=cautions, stage=stage, findings=findings,
                   forward_calls=report.forward_calls + calls)


def check_reg(form, report, *, seed=0, shape=None, wrap=Subject):
    """`report` (of the class at reg = 0) with the regularisation check added; unchanged after an error."""
    if report.verdict == ERROR:
        return report
    if not form.takes_reg:
        return replace(report, skipped=report.skipped + (f"regularisation: {form.name}.loss takes no reg argument",))
    penalty = Penalty(form, make_probe(seed, shape), wrap)
    try:
        found, low = terms(penalty)
    except SubjectFailed as exc:
        failure = Failure(exc.stage, exc.call, f"{exc.message} (at reg = {REG:g})", exc.trace)
        return replace(report, verdict=ERROR, stage=exc.stage, failure=failure,
                       forward_calls=report.forward_calls + penalty.calls)
    return with_finding(report, judge(found, 3e-2 if low else 1e-6), penalty.calls)
