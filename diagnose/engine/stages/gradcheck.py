"""Stage 5, gradient check and constant ratio: analytic against central differences
of the subject's own loss, then: is analytic / numeric one constant, such as N?"""
import numpy as np

from core import PARAM_KEYS, rel_error
from diagnose.engine.findings import Finding, Stage, TensorCheck
from diagnose.engine.member import dz2_words
from diagnose.engine.stages.directional import along, directions, entry
from diagnose.engine.stages.precision import hidden_rounding

S = Stage.GRADCHECK


def check_tensor(ctx, name):
    """Directional checks plus the entry of largest |gradient|: a TensorCheck."""
    g = ctx.grads[name]
    vs = directions(ctx.probe.seed, name, g.shape)
    analytic = np.array([np.vdot(g, v) for v in vs])
    numeric = np.array([along(ctx, {name: v}, ctx.h) for v in vs])
    idx = np.unravel_index(np.argmax(np.abs(g)), g.shape)
    a_idx, n_idx = float(g[idx]), entry(ctx, name, idx, ctx.h)
    err = max(direction_error(analytic, numeric), rel_error(a_idx, n_idx))
    ratio, constant = ratio_of(analytic, numeric, ctx)
    return TensorCheck(name, err, ratio, constant, tuple(int(i) for i in idx), a_idx, n_idx)


def direction_error(analytic, numeric):
    """max |a - n| over the directions, relative to the largest |a| + |n| among them.

    One direction can meet the gradient almost at a right angle; scaled by its own
    tiny derivative, an epsilon in the loss's log would look like a fault.
    """
    scale = np.abs(analytic).max() + np.abs(numeric).max()
    return float(np.abs(analytic - numeric).max() / max(1e-8, scale))


def ratio_of(analytic, numeric, ctx):
    """(mean of analytic / numeric, whether it is one constant across directions)."""
    scale = np.abs(numeric).max()
    if scale == 0:
        return None, False
    if np.abs(numeric).min() <= 1e-3 * scale:  # a direction almost orthogonal to the gradient: no ratio to read
        return float(np.vdot(analytic, numeric) / np.vdot(numeric, numeric)), False  # the least-squares ratio
    r = analytic / numeric
    spread = np.abs(r - r.mean()).max() / max(abs(r.mean()), 1e-12)
    return float(r.mean()), bool(spread < 10 * ctx.match_tol or np.all(analytic == 0))


def ratio_tol(ctx):
    """How close a ratio must come to a named constant: looser under float32 rounding."""
    return max(1e-3, 50 * ctx.match_tol)


def name_ratio(c, N, tol=1e-3):
    """'N', '1/N', '-1', '0', '2', '1/2' when c is one of them, else None."""
    for label, value in (("N", N), ("1/N", 1 / N), ("-1", -1), ("0", 0), ("2", 2), ("1/2", 0.5)):
        if abs(c - value) <= tol * max(1, abs(value)):
            return label
    return None


def follows_n(ctx, names, label):
    """Probe again at another batch size N': does the ratio become N' (or 1/N') too?

    N' is half the batch, or at N = 2 the batch twice over (the mean loss is the same, a
    missing /N doubles): a ratio of 2 at N = 2 is then told from N.
    """
    N = ctx.probe.X.shape[0]
    n2 = N // 2 if N >= 4 else 2 * N
    X2, y2 = np.resize(ctx.probe.X, (n2, ctx.probe.X.shape[1])), np.resize(ctx.probe.y, n2)  # rows cycle
    _, grads, _ = ctx.subject.loss_and_grads(X2.copy(), y2.copy(), ctx.probe.fresh_params())
    want = n2 if label == "N" else 1 / n2
    seen = []
    for name in names:
        v = directions(ctx.probe.seed + 2, name, ctx.probe.params[name].shape, k=1)[0]
        g = usable(grads, name, v.shape)
        seen.append(float("nan") if g is None else float(np.vdot(g, v)) / along(ctx, {name: v}, ctx.h, X2, y2))
    ok = all(abs(r - want) <= ratio_tol(ctx) * max(1, want) for r in seen)
    return n2, seen, ok


def usable(grads, name, shape):
    """grads[name] as float64 of this shape, or None when the second call returned something else."""
    try:
        return np.asarray(grads[name], dtype=np.float64).reshape(shape)
    except (TypeError, KeyError, ValueError, IndexError):
        return None


def explain_constant(ctx, label, names, local=True):
    """The finding for tensors sharing one constant ratio, marking them explained.

    A ratio on every tensor comes from dZ2 or the loss; a ratio on some tensors only, while
    every other tensor passes or has its own constant ratio (`local`), is the fault of the
    lines computing those. With other faults around, a shared ratio may still come from dZ2.
    """
    if label == "0":
        for name in names:
            ctx.explained[name] = f"d{name}_zero"
        return [Finding(S, False, f"d{name} is all zeros while its numeric gradient is not",
                        "the gradient is never computed", f"d{name}_zero", tensors=(name,)) for name in names]
    if set(names) != set(PARAM_KEYS) and local:
        return [explain_some(ctx, label, names)]
    N = ctx.probe.X.shape[0]
    c = ctx.checks[names[0]].ratio
    seen = f"analytic / numeric is {c:.4f} on {', '.join(names)}"
    if label in ("N", "1/N"):
        n2, again, ok = follows_n(ctx, names, label)
        seen += f" (= {label} with N = {N}); at N = {n2} it is {', '.join(f'{r:.4f}' for r in again)}"
        if not ok:
            fault, meaning = "constant_factor", "a constant factor that does not follow N"
        elif label == "N":
            fault, meaning = "missing_div_n", "it follows N: the gradient is never divided by the batch size"
        elif ctx.loss_summed:
            fault, meaning = "loss_summed", "it follows 1/N and the loss is N times the mean: the loss is summed"
        else:
            fault, meaning = "double_div_n", "it follows 1/N: divided by the batch size twice"
    elif label == "-1":
        fault, meaning = "sign_flipped", f"the gradient points uphill: the negative of dZ2 = {dz2_words(ctx.probe.net)}"
    else:
        fault, meaning = "constant_factor", f"one constant factor{' of ' + label if label else ''} in every entry"
    for name in names:
        ctx.explained[name] = fault
    return [Finding(S, False, seen, meaning, fault)]


def explain_some(ctx, label, names):
    """Some tensors share a constant ratio the others do not have: blame their own lines."""
    c = ctx.checks[names[0]].ratio
    right = [name for name in ctx.checks if name not in ctx.failing]
    seen = f"analytic / numeric is {c:.4f} on {', '.join(names)} alone"
    seen += f"; {', '.join(right)} {'matches' if len(right) == 1 else 'match'} central differences" if right else ""
    fault = "tensor_scaled"
    meaning = f"the line computing {', '.join('d' + n for n in names)} carries a factor {c:.4g} the others do not"
    if label == "1/N":
        n2, again, ok = follows_n(ctx, names, label)
        seen += f"; at N = {n2} the ratio is {', '.join(f'{r:.4f}' for r in again)}"
        if ok:
            fault, meaning = "double_div_n", f"it follows 1/N: {', '.join('d' + n for n in names)} divided by N again"
    for name in names:
        ctx.explained[name] = fault
        ctx.scaled[name] = c
    return Finding(S, False, seen, meaning, fault, tensors=tuple(names))


def run(ctx):
    """Check every usable tensor, then explain the failing ones that share a constant ratio."""
    for name in ctx.grads:
        ctx.checks[name] = check_tensor(ctx, name)
    failing = ctx.failing
    if not failing:
        worst = max(c.rel_error for c in ctx.checks.values())
        every = "every gradient matches" if len(ctx.checks) == len(PARAM_KEYS) else (
            f"d{', d'.join(ctx.checks)} {'matches' if len(ctx.checks) == 1 else 'match'}")
        own = "" if ctx.loss_is_net else " of the subject's own loss"
        findings = [Finding(S, True, f"{every} central differences{own} (worst relative error {worst:.1e})")]
        if ctx.loss_summed:
            N = ctx.probe.X.shape[0]
            findings.append(Finding(S, True, f"the gradients are those of the summed loss, N = {N} times the mean",
                                    "right, but a learning rate tuned for the mean must be N times smaller",
                                    caution="loss_is_sum"))
        return findings
    N = ctx.probe.X.shape[0]
    groups, noisy, eps_noise = {}, [], []
    for name in failing:
        check = ctx.checks[name]
        if ctx.low_precision and check.ratio is not None and abs(check.ratio - 1) < 0.05:
            noisy.append(name)  # rounding noise of a float32 loss, already named by the precision stage
            ctx.explained[name] = "float32"
        elif check.rel_error is not None and check.rel_error <= ctx.eps_tol:
            eps_noise.append(name)  # the epsilon in the subject's log, already a caution in stage 1
            ctx.explained[name] = "log_eps"
        elif check.constant and abs(check.ratio - 1) > 1e-3:  # a ratio of 1.0000x is no factor
            groups.setdefault(name_ratio(check.ratio, N, ratio_tol(ctx)) or f"{check.ratio:.4g}", []).append(name)
    for label, names in list(groups.items()):
        if all(ctx.grads[name].size == 1 for name in names):  # one entry: any error is a "constant" ratio
            del groups[label]
    rounding = None if groups or noisy else hidden_rounding(ctx, failing)
    if rounding:
        return [rounding]
    findings = []
    if noisy:
        findings.append(Finding(S, True, f"{', '.join(noisy)} agree to within float32 rounding (ratio within 5% of 1)"))
    if eps_noise:
        worst = max(ctx.checks[name].rel_error for name in eps_noise)
        findings.append(Finding(S, True, f"{', '.join(eps_noise)} agree to within what the epsilon in the log "
                                         f"explains (relative error up to {worst:.1e})"))
    local = all(name in noisy + eps_noise or any(name in names for names in groups.values()) for name in failing)
    for label, names in groups.items():
        findings += explain_constant(ctx, label, names, local)
    rest = [name for name in failing if name not in ctx.explained]
    if rest:
        worst = ", ".join(f"{name} {ctx.checks[name].rel_error:.1e}" for name in rest)
        meaning = ("the fault is inside a layer: isolate it" if ctx.loss_is_net else
                   "backward is not the gradient of the subject's own loss either")
        findings.append(Finding(S, False, f"no constant ratio on {', '.join(rest)} (relative error {worst})", meaning))
    return findings
