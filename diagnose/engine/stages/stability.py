"""Stage 3, stability: softmax is shift-invariant, so a shift of every logit must change nothing.

For a sigmoid head (binary cross-entropy, squared error) there is no shift-invariance: a
saturated logit must still give a finite loss and finite gradients instead.

Shifting every logit by the same +1000 (through b2) leaves a max-shifted softmax
exactly as it was, while exp of the raw logits overflows to inf/inf = nan. Pushing
logits *apart* instead underflows p_y to 0 even in a correct softmax: that is the
lesser problem of a log without its epsilon, a caution rather than a fault.
"""
import numpy as np

from diagnose.engine.findings import Finding, Stage
from diagnose.engine.stages.shapes import normalise

S = Stage.STABILITY
SHIFT = 1000.0
MILD = 50.0  # a logit at which every sigmoid is exactly 1.0 in float64, and no exp overflows


def grads_agree(ctx, grads):
    """Tensors whose gradient after the shift differs from the base, relative to all gradients' size."""
    N = ctx.probe.X.shape[0]
    scale = np.sqrt(sum(np.sum(g ** 2) for g in ctx.grads.values()))
    differing = []
    for name, base in ctx.grads.items():
        g, _ = normalise(name, np.asarray(grads.get(name)), ctx.probe.params[name], N)
        if g is None or not np.linalg.norm(g.astype(np.float64) - base) <= 10 * ctx.match_tol * max(scale, 1e-12):
            differing.append(name)
    return differing


def shift_finding(ctx):
    """Loss and gradients with every logit shifted by +1000."""
    params = ctx.params_with("b2", SHIFT)
    loss, grads, _ = ctx.subject.loss_and_grads(ctx.probe.X.copy(), ctx.probe.y.copy(), params)
    loss = ctx.as_loss(loss)
    if ctx.penalty and "b2" in ctx.penalty[1] and isinstance(grads, dict) and "b2" in grads:  # b2 is penalised too:
        c, b2 = ctx.penalty[0], ctx.probe.params["b2"]  # take the shift's share of the penalty off
        loss -= c * float(np.sum((b2 + SHIFT) ** 2) - np.sum(b2 ** 2))
        grads = {**grads, "b2": np.asarray(grads["b2"], dtype=np.float64) - 2 * c * SHIFT}
    same_loss = np.isfinite(loss) and abs(loss - ctx.loss) <= 10 * ctx.match_tol * max(1.0, abs(ctx.loss))
    differing = grads_agree(ctx, grads) if isinstance(grads, dict) else list(ctx.grads)
    if same_loss and not differing:
        return Finding(S, True, f"with every logit shifted by +{SHIFT:g} the loss and gradients are unchanged")
    seen = f"with every logit shifted by +{SHIFT:g} the loss is {loss:.6g} (was {ctx.loss:.6g})"
    if differing:
        seen += f" and {', '.join('d' + k for k in differing)} changed"
    if same_loss and isinstance(grads, dict) and all_finite(grads):
        return Finding(S, False, seen, "the loss is shift-invariant but the gradient is not: it depends on the raw "
                                       "logits, not on softmax(Z2) alone (layer isolation says where)")
    return Finding(S, False, seen, "exp of unshifted logits overflows: subtract each row's max first",
                   "unstable_softmax")


def all_finite(grads):
    """Every returned gradient holds finite numbers only."""
    try:
        return all(np.all(np.isfinite(np.asarray(g, dtype=np.float64))) for g in grads.values())
    except (TypeError, ValueError):
        return False


def saturation_finding(ctx):
    """Loss and gradients when one wrong class's logit is +1000: p_y underflows to 0 for the other rows.

    An infinite loss with finite gradients is a caution, not a fault: the loss and the
    gradients are right on every ordinary input, training goes on, and -log(P[np.arange(N), y])
    is how most people write it. Non-finite gradients there would wreck training: a fault.
    """
    y = ctx.probe.y
    wrong = (int(y[0]) + 1) % ctx.probe.P.shape[1]
    delta = np.zeros_like(ctx.probe.params["b2"])
    delta[wrong] = SHIFT
    loss, grads, _ = ctx.subject.loss_and_grads(ctx.probe.X.copy(), ctx.probe.y.copy(), ctx.params_with("b2", delta))
    loss = ctx.as_loss(loss)
    broken = nonfinite_gradients(ctx, grads)
    grads_seen = f"non-finite {', '.join('d' + k for k in broken)}"
    if np.isfinite(loss):
        seen = f"a confidently wrong prediction (p_y underflows to 0) gives a finite loss {loss:.4g}"
        return Finding(S, True, seen) if not broken else divides_finding(f"{seen} but {grads_seen}")
    seen = f"a confidently wrong prediction (class {wrong}'s logit +{SHIFT:g}) gives the loss {loss}"
    if broken and np.isnan(loss):  # NaN probabilities: exp overflowed (inf / inf) in the softmax itself
        return Finding(S, False, f"{seen} and {grads_seen}",
                       "exp overflows (or 0/0) once one logit is far above the others: shift by each row's max, "
                       "so every exponent is <= 0", "unstable_softmax")
    stay = "" if broken else ", and the gradients stay finite"
    log_zero = Finding(S, True, seen, f"log(0) once p_y underflows to 0: right on ordinary inputs{stay}, but one "
                                      "confidently wrong example makes the loss inf (or NaN)", caution="log_no_eps")
    return log_zero if not broken else [log_zero, divides_finding(f"with it, {grads_seen}")]


def divides_finding(seen):
    """The caution for gradients that turn non-finite where the softmax's probabilities are still finite."""
    return Finding(S, True, seen, "the probabilities are finite, but backward divides by p_y = 0 there (dP = -Y / P "
                                  "through the softmax Jacobian): dZ2 = (P - onehot(y)) / N needs no division",
                   caution="grads_nonfinite_saturated")


def nonfinite_gradients(ctx, grads):
    """The usable tensors whose gradient the subject returned with NaN or inf in it."""
    if not isinstance(grads, dict):
        return list(ctx.grads)
    broken = []
    for name in ctx.grads:
        try:
            finite = np.all(np.isfinite(np.asarray(grads.get(name), dtype=np.float64)))
        except (TypeError, ValueError):
            finite = False
        if not finite:
            broken.append(name)
    return broken


def saturated_at(ctx, logit):
    """(loss as a float, the tensors whose gradients are not finite) with every logit near `logit` (through b2)."""
    params = ctx.params_with("b2", logit)
    loss, grads, _ = ctx.subject.loss_and_grads(ctx.probe.X.copy(), ctx.probe.y.copy(), params)
    bad = [k for k, g in grads.items() if not np.all(np.isfinite(np.asarray(g, dtype=np.float64)))] \
        if isinstance(grads, dict) else []
    return ctx.as_loss(loss), bad


def overflows(ctx, sign):
    """Whether non-finite values at +1000 come from exp overflowing in the sigmoid, not from log(0) or a division.

    At +MILD every sigmoid already rounds to exactly 1 while no exp overflows: if all is finite there, the
    trouble at +1000 is the overflow (exp(z) / (1 + exp(z)) = inf / inf). At -1000 a sigmoid is 0 whichever
    way it is written (exp(-z) = inf gives 1 / inf): what breaks there is log(0) or a division by s.
    """
    if sign < 0:
        return False
    loss, bad = saturated_at(ctx, MILD)
    return bool(np.isfinite(loss) and not bad)


def saturated_finding(ctx, sign):
    """Every logit pushed to +-1000 through b2 (a sigmoid head saturates): loss and gradients must stay finite."""
    loss, bad = saturated_at(ctx, sign * SHIFT)
    where = f"with every logit at {sign * SHIFT:+g} (the sigmoid saturates)"
    if np.isfinite(loss) and not bad:
        return None
    if not overflows(ctx, sign):  # the sigmoid saturated cleanly: log(0) in the loss or a division in backward
        grads_seen = f"{', '.join('d' + k for k in bad)} hold non-finite values" if bad else "the gradients are finite"
        loss_fine = np.isfinite(loss)
        seen = f"{where} the loss is {loss:.6g}{' but ' if loss_fine else ' and '}{grads_seen}"
        if loss_fine or bad:
            return Finding(S, True, seen, "one saturated logit makes the gradients non-finite"
                           + ("" if loss_fine else " and the loss too")
                           + ": the head's gradient divides by s or 1 - s (0 there), or takes log(0)",
                           caution="grads_nonfinite_saturated")
        return Finding(S, True, seen, "log(0) once s(z) rounds to 0 or 1: right on ordinary inputs, but one "
                       "saturated logit makes the loss inf or NaN; compute it from the logits, log(1 + e^z) - y z",
                       caution="log_no_eps")
    grads_seen = f" and {', '.join('d' + k for k in bad)} hold non-finite values" if bad else ""
    return Finding(S, False, f"{where} the loss is {loss:.6g}{grads_seen}; at {MILD:+g} all is finite",
                   "exp overflows in the sigmoid: write it so no exp of a large number is taken",
                   "unstable_sigmoid")


def sigmoid_run(ctx):
    """A sigmoid head: every logit at +1000, then at -1000, must give a finite loss and finite gradients."""
    found = [f for f in (saturated_finding(ctx, +1), saturated_finding(ctx, -1)) if f is not None]
    return found or [Finding(S, True, f"with every logit at +{SHIFT:g} and at -{SHIFT:g} (the sigmoid saturates) "
                                      "the loss and the gradients are finite")]


def run(ctx):
    """The shift test, then (only when it passes) the saturation warning; for a sigmoid head, saturation."""
    if ctx.probe.net.head != "softmax_ce":
        return sigmoid_run(ctx)
    shift = shift_finding(ctx)
    if not shift.passed:
        ctx.skipped.append("saturation: the shift test already failed")
        return [shift]
    saturation = saturation_finding(ctx)
    return [shift] + (saturation if isinstance(saturation, list) else [saturation])
